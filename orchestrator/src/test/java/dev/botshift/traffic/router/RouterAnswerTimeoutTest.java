package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.botshift.testing.LoopbackHttp;
import dev.botshift.testing.OneBotRouter;
import dev.botshift.testing.Slow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long the router waits for a bot that works before it answers (a model call, a slow API): the answer timeout,
 * 60 s by default like nginx's; Jetty's own 30 s answered 504 for bots that answered fine straight or behind nginx,
 * and a 504 counts against the colour.
 */
class RouterAnswerTimeoutTest {
    @TempDir
    Path dir;
    private HttpServer bot;
    private RouterServer router;
    private volatile long delayMillis;

    @AfterEach
    void stop() {
        if (router != null) {
            router.close();
        }
        if (bot != null) {
            bot.stop(0);
        }
    }

    private URI start(Duration answerTimeout) {
        bot = LoopbackHttp.bind(4);
        bot.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] answer = "done".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        bot.start();
        router = OneBotRouter.to(LoopbackHttp.uri(bot), dir);
        if (answerTimeout != null) {
            router.answerTimeout(answerTimeout);
        }
        router.start();
        return URI.create(router.listenUri() + "/webhook");
    }

    private static HttpResponse<String> post(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(90))
                .POST(HttpRequest.BodyPublishers.ofString(RouterFixture.update(7))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBotSilentBeyondTheAnswerTimeoutGets504AndOneWithinItIsAnswered() throws Exception {
        URI webhook = start(Duration.ofSeconds(1));

        delayMillis = 300;
        assertThat(post(webhook).body()).isEqualTo("done");

        delayMillis = 3_000;
        long t0 = System.nanoTime();
        HttpResponse<String> cut = post(webhook);
        long waited = (System.nanoTime() - t0) / 1_000_000;
        assertThat(cut.statusCode()).isEqualTo(504);
        assertThat(waited).as("milliseconds until the 504").isBetween(900L, 2_900L);
    }

    /** 32 s: past Jetty's own 30 s, within the default 60 s (the webhook port's idle timeout included). */
    @Test
    @Slow
    void byDefaultABotMayWorkPastJettys30Seconds() throws Exception {
        URI webhook = start(null);
        assertThat(router.answerTimeout()).isEqualTo(RouterServer.DEFAULT_ANSWER_TIMEOUT);

        delayMillis = 32_000;
        HttpResponse<String> answer = post(webhook);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("done");
    }
}
