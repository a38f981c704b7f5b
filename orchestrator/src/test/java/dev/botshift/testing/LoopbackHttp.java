package dev.botshift.testing;

import com.sun.net.httpserver.HttpServer;
import dev.botshift.os.JdkHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The test stubs' real HTTP servers (bots, backends): the JDK server on a free port of 127.0.0.1, Nagle off. */
public final class LoopbackHttp {
    private LoopbackHttp() {
    }

    /** A server not started yet (the caller adds its contexts), answering on {@code threads} threads. */
    public static HttpServer bind(int threads) {
        HttpServer server;
        try {
            server = JdkHttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
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
