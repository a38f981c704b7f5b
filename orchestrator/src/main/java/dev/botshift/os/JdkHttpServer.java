package dev.botshift.os;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The JDK's built-in HTTP server with Nagle off, the one way Botshift's own code makes one (the warm-up's and the
 * benchmarks' bot, the demo's Bot API, the controller's health port).
 *
 * <p>Why: the JDK's server writes an answer's headers and body in two writes and leaves Nagle on, so the body waits
 * for the client's delayed ACK, ~40 ms per answer on a kept-alive connection (measured: 44 ms against 1.5 ms per
 * request). Its only switch is the system property {@value #NO_DELAY}, read once, when the first such server in the
 * JVM starts: so it is set here, before this class makes any. A server made elsewhere in the JVM before that keeps
 * Nagle on.
 */
public final class JdkHttpServer {
    static final String NO_DELAY = "sun.net.httpserver.nodelay";

    static {
        System.setProperty(NO_DELAY, "true");
    }

    private JdkHttpServer() {
    }

    /** {@link HttpServer#create(InetSocketAddress, int)}: bound, not started; {@code backlog} 0 is the system's. */
    public static HttpServer create(InetSocketAddress address, int backlog) throws IOException {
        return HttpServer.create(address, backlog);
    }
}
