package dev.botshift.traffic.router;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 by hand, for tests that must control a connection byte by byte: what a client or a bot writes and reads. */
final class RawHttp {
    private RawHttp() {
    }

    /** Posts one Telegram update (chat 5) on {@code socket}'s connection, as a chat platform would. */
    static void postUpdate(Socket socket) throws IOException {
        String body = "{\"update_id\":1,\"message\":{\"chat\":{\"id\":5},\"text\":\"hi\"}}";
        OutputStream out = socket.getOutputStream();
        out.write(("POST /hook HTTP/1.1\r\nHost: bots\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** An HTTP/1.1 message with a Content-Length body (or none): its head, blank line included, and its body. */
    record Message(String head, String body) {
        /** The next message, read to its end (a kept-alive connection stays usable); null if the connection ends first. */
        static Message read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    return null;
                }
                head.write(c);
            }
            String text = head.toString(StandardCharsets.US_ASCII);
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            return new Message(text, new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }
    }
}
