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
 * and a 504 counts against the colour. And what a stop does to a bot still working: its answer gets through.
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

    @Test
    void aStopLetsTheAnswerInFlightThroughAndThenTakesNoMore() throws Exception {
        URI webhook = start(Duration.ofSeconds(10));
        delayMillis = 1_500;
        java.util.concurrent.CompletableFuture<HttpResponse<String>> inFlight =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return post(webhook);
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
        Thread.sleep(500); // the webhook is with the bot

        long t0 = System.nanoTime();
        router.stop();
        long stopped = (System.nanoTime() - t0) / 1_000_000;

        HttpResponse<String> answer = inFlight.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("done");
        assertThat(stopped).as("milliseconds the stop waited for the bot").isBetween(500L, 4_000L);
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> post(webhook)))
                .as("the port no longer takes webhooks").isNotNull();
        router = null;
    }

    /** 32 s: past Jetty's own 30 s, within the default 60 s (the webhook port's idle timeout included). */
    @Test
    @Slow
    void byDefaultABotMayWorkPastJettys30Seconds() throws Exception {
        URI webhook = start(null);
        assertThat(router.answerTimeout()).isEqualTo(dev.botshift.core.AnswerTimeout.DEFAULT);

        delayMillis = 32_000;
        HttpResponse<String> answer = post(webhook);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("done");
    }
}
