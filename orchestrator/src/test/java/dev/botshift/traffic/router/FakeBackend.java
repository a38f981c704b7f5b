package dev.botshift.traffic.router;

import com.sun.net.httpserver.HttpServer;
import dev.botshift.testing.LoopbackHttp;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP backend that answers every request with its name (and the body it got), or with a chosen status. */
final class FakeBackend implements AutoCloseable {
    private final HttpServer server;
    private final String name;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int status = 200;
    private volatile String lastBody = "";
    private volatile String lastPath = "";
    private volatile com.sun.net.httpserver.Headers lastHeaders = new com.sun.net.httpserver.Headers();

    FakeBackend(String name) {
        this.name = name;
        server = LoopbackHttp.bind(4);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            lastBody = new String(body, StandardCharsets.UTF_8);
            lastPath = exchange.getRequestURI().toString();
            lastHeaders = exchange.getRequestHeaders();
            requests.incrementAndGet();
            byte[] answer = name.getBytes(StandardCharsets.UTF_8);
            // what a bot's framework typically says about itself; the router must not pass it on
            exchange.getResponseHeaders().add("Server", "FakeBot/1.0 (Java)");
            exchange.getResponseHeaders().add("X-Powered-By", "FakeFramework 2.3");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    URI uri() {
        return LoopbackHttp.uri(server);
    }

    FakeBackend answering(int newStatus) {
        this.status = newStatus;
        return this;
    }

    int requests() {
        return requests.get();
    }

    String lastBody() {
        return lastBody;
    }

    String lastPath() {
        return lastPath;
    }

    /** The headers of the last request (names as the JDK server normalises them: first letter upper case). */
    com.sun.net.httpserver.Headers lastHeaders() {
        return lastHeaders;
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        LoopbackHttp.stop(server);
    }
}
