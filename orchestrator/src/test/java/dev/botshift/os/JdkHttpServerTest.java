package dev.botshift.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.botshift.traffic.router.OkBackend;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Botshift's JDK servers answer a kept-alive connection without waiting for the client's delayed ACK. Run in a JVM
 * of its own: the switch is read once per JVM, and this test JVM may have set it through another server already.
 */
class JdkHttpServerTest {
    /** ~40 ms per answer with Nagle on (measured 44 ms), 1–2 ms without: the median of ten sits far from either. */
    private static final double MEDIAN_LIMIT_MS = 20;

    @Test
    void aBotOfOursAnswersKeptAliveRequestsWithoutTheDelayedAckWait() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                Bot.class.getName()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            URI bot = URI.create(out.readLine() + "/hook");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest update = HttpRequest.newBuilder(bot).POST(HttpRequest.BodyPublishers.ofString("{\"update_id\":1}"))
                    .build();
            assertEquals(200, client.send(update, HttpResponse.BodyHandlers.ofString()).statusCode()); // the connection
            double[] millis = new double[10];
            for (int i = 0; i < millis.length; i++) {
                long start = System.nanoTime();
                assertEquals(200, client.send(update, HttpResponse.BodyHandlers.ofString()).statusCode());
                millis[i] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(millis);
            double median = (millis[4] + millis[5]) / 2;
            assertTrue(median < MEDIAN_LIMIT_MS, "median answer " + median + " ms (all: " + Arrays.toString(millis) + ")");
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    /** The child: one {@link OkBackend}, its URI on stdout, stopped when stdin closes. */
    public static final class Bot {
        public static void main(String[] args) throws Exception {
            try (OkBackend bot = OkBackend.start()) {
                System.out.println(bot.uri());
                System.out.flush();
                System.in.read();
            }
            System.exit(0);
        }
    }
}
