package dev.botshift.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The test stubs' real HTTP servers (bots, backends): the JDK server on a free port of 127.0.0.1. */
public final class LoopbackHttp {
    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY each response waits for the
        // client's delayed ACK (~40 ms), which would make a 2,000-request test take minutes.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private LoopbackHttp() {
    }

    /** A server not started yet (the caller adds its contexts), answering on {@code threads} threads. */
    public static HttpServer bind(int threads) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(threads));
        return server;
    }

    public static URI uri(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Stops it at once and ends its threads. */
    public static void stop(HttpServer server) {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
