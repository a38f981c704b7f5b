package dev.botshift.traffic.router;

import com.sun.net.httpserver.HttpServer;
import dev.botshift.os.JdkHttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A bot route as trivial as one can be: the JDK's HTTP server on a loopback port it binds itself, answering every
 * request 200 {@code {"ok":true}}. The router's warm-up pass forwards to one ({@link RouterServer#warmUp}), so the pass
 * runs the proxy's whole path, the answer's copy included, and sends nothing to a port something else may listen on;
 * the benchmarks put two behind the router and nginx (part 8).
 */
public final class OkBackend implements AutoCloseable {
    private static final byte[] OK = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    private final HttpServer server;
    private final ExecutorService threads;

    private OkBackend(int threads, int backlog) throws IOException {
        this.server = JdkHttpServer.create(new InetSocketAddress("127.0.0.1", 0), backlog);
        this.threads = threads > 0 ? Executors.newFixedThreadPool(threads) : null;
        server.setExecutor(this.threads); // null: the server's own dispatcher thread answers
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

    /** One answering on the server's own thread, with the system's accept queue. */
    public static OkBackend start() throws IOException {
        return new OkBackend(0, 0);
    }

    /** One answering on {@code threads} threads of its own, queueing up to {@code backlog} connections. */
    public static OkBackend start(int threads, int backlog) throws IOException {
        return new OkBackend(threads, backlog);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    @Override
    public void close() {
        server.stop(0);
        if (threads != null) {
            threads.shutdownNow();
        }
    }
}
