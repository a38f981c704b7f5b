package dev.botshift.traffic.router;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The bot a warm-up pass ({@link RouterServer#warmUp}) forwards to: the JDK's HTTP server on a loopback port of its
 * own, answering every request 200 {@code {"ok":true}}, so the pass runs the proxy's whole path, the answer's copy
 * included, and sends nothing to a port something else may listen on.
 */
final class WarmUpBackend implements AutoCloseable {
    private static final byte[] OK = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    private final HttpServer server;

    WarmUpBackend() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, OK.length);
                exchange.getResponseBody().write(OK);
            }
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
