package dev.botshift.reliability;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A server that speaks just enough of PostgreSQL's wire protocol to refuse a login the way PostgreSQL does: it
 * declines TLS and GSS, reads the startup message and answers an ErrorResponse with the given SQLSTATE (28P01: wrong
 * password, 28000: no such role). The real JDBC driver then reports what it reports against a real server with
 * password authentication, which the embedded PostgreSQL of the tests (trust authentication) cannot show.
 */
final class FakePostgres implements AutoCloseable {
    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;

    private final ServerSocket server;
    private final Thread acceptor;

    FakePostgres(String sqlState, String message) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    refuse(s, sqlState, message);
                } catch (IOException e) {
                    // closed, or a client that went away: next
                }
            }
        }, "fake-postgres");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private static void refuse(Socket s, String sqlState, String message) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        while (true) {
            int length = in.readInt();
            int code = in.readInt();
            in.skipNBytes(length - 8);
            if (code == SSL_REQUEST || code == GSS_REQUEST) {
                out.writeByte('N');
                out.flush();
                continue;
            }
            break; // the startup message
        }
        byte[] fields = fields("SFATAL", "VFATAL", "C" + sqlState, "M" + message);
        out.writeByte('E');
        out.writeInt(4 + fields.length);
        out.write(fields);
        out.flush();
    }

    private static byte[] fields(String... fields) {
        StringBuilder b = new StringBuilder();
        for (String f : fields) {
            b.append(f).append('\0');
        }
        b.append('\0');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
