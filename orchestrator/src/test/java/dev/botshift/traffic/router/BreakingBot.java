package dev.botshift.traffic.router;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bot instance that breaks off every webhook without a byte of an answer, in one of the two ways a dying process
 * does: {@link Ending#RESET_UNREAD} resets the connection with the request still unread (killed before it read it),
 * {@link Ending#CLOSE_AFTER_READING} reads the whole request and closes cleanly (killed while handling it).
 */
final class BreakingBot implements AutoCloseable {
    enum Ending { RESET_UNREAD, CLOSE_AFTER_READING }

    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final Ending ending;
    private final AtomicInteger webhooks = new AtomicInteger();

    BreakingBot(Ending ending) throws IOException {
        this.ending = ending;
        Thread accepting = new Thread(this::accept, "breaking-bot");
        accepting.setDaemon(true);
        accepting.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** The webhooks that reached this instance (each arrived; none answered). */
    int webhooks() {
        return webhooks.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try (Socket connection = server.accept()) {
                connection.setSoTimeout(5_000);
                InputStream in = connection.getInputStream();
                if (ending == Ending.RESET_UNREAD) {
                    if (in.read() < 0) { // the webhook's first byte is there; the rest stays unread
                        continue;
                    }
                    webhooks.incrementAndGet();
                    connection.setSoLinger(true, 0); // closing now sends a reset, as the kernel does for a dead process
                } else {
                    readRequest(in);
                    webhooks.incrementAndGet();
                }
            } catch (IOException e) {
                // closed by the test, or the router gave up on the connection
            }
        }
    }

    /** Reads a request's head and its Content-Length body. */
    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the request ended early");
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        if (body.length() != length) {
            throw new IOException("the request's body ended early");
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
