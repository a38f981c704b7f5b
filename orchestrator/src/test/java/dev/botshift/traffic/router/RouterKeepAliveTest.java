package dev.botshift.traffic.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botshift.core.WebhookPlatform;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One connection carries many webhooks: a bot's answer completes its response later, from the bot's connection, and
 * a request that fails verification is answered at once, while the next requests may already have been read. Whatever the mix, every request on a kept-alive connection is answered,
 * in order, and the connection stays usable; pipelined requests (sent before the previous answer) are answered in
 * order too.
 */
class RouterKeepAliveTest extends RouterPerTest {
    private static final String SECRET = "keep-alive-secret";

    /** The router checks Telegram's secret header: a request without it is refused at once, on the reading thread. */
    @Override
    WebhookVerifier verifier() {
        return WebhookVerifier.of(WebhookPlatform.TELEGRAM, "TG_SECRET", java.util.Map.of("TG_SECRET", SECRET), null,
                java.time.Clock.systemUTC());
    }

    @Test
    void aKeptAliveConnectionAnswersEveryRequestInTurnWhetherABotOrTheRouterAnswers() throws IOException {
        try (Socket socket = connect()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < 300; i++) {
                boolean valid = i % 3 != 2;
                socket.getOutputStream().write(request(RouterFixture.update(i), false, valid));
                Answer answer = Answer.read(in);
                assertEquals(valid ? 200 : 401, answer.status(), "request " + i + ": " + answer);
                if (valid) {
                    assertEquals("blue", answer.body(), "request " + i);
                }
            }
        }
        assertEquals(200, fixture.blue1.requests() + fixture.blue2.requests());
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        try (Socket socket = connect()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int round = 0; round < 20; round++) {
                ByteArrayOutputStream batch = new ByteArrayOutputStream();
                batch.write(request(RouterFixture.update(round), false, true));
                batch.write(request(RouterFixture.update(round + 500), false, false));
                batch.write(request(RouterFixture.update(round + 1000), false, true));
                socket.getOutputStream().write(batch.toByteArray()); // three requests in one write
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    statuses.add(Answer.read(in).status());
                }
                assertEquals(List.of(200, 401, 200), statuses, "round " + round);
            }
        }
    }

    @Test
    void connectionCloseIsAnsweredAndThenTheConnectionEnds() throws IOException {
        try (Socket socket = connect()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            socket.getOutputStream().write(request(RouterFixture.update(1), false, true));
            assertEquals(200, Answer.read(in).status());
            socket.getOutputStream().write(request(RouterFixture.update(2), true, true));
            assertEquals(200, Answer.read(in).status());
            assertEquals(-1, in.read(), "the router closes the connection after the answer");
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", fixture.router.listenPort());
        socket.setSoTimeout(10_000); // a request left unanswered fails the test instead of hanging it
        return socket;
    }

    private static byte[] request(String body, boolean close, boolean signed) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + content.length + "\r\n" + (signed ? WebhookVerifier.TELEGRAM_HEADER + ": " + SECRET + "\r\n" : "")
                + (close ? "Connection: close\r\n" : "") + "\r\n";
        byte[] bytes = new byte[head.length() + content.length];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, head.length());
        System.arraycopy(content, 0, bytes, head.length(), content.length);
        return bytes;
    }

    /** One HTTP/1.1 answer with a Content-Length body (the router's and the fake bots' answers all have one). */
    private record Answer(int status, String body) {
        static Answer read(InputStream in) throws IOException {
            String statusLine = line(in);
            assertTrue(statusLine.startsWith("HTTP/1.1 "), "status line: " + statusLine);
            int length = 0;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(header.substring(15).trim());
                }
            }
            byte[] body = in.readNBytes(length);
            assertEquals(length, body.length, "a whole body");
            return new Answer(Integer.parseInt(statusLine.substring(9, 12)), new String(body, StandardCharsets.UTF_8));
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed after: " + line);
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }
}
