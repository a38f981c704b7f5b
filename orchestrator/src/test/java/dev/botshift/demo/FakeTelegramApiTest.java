package dev.botshift.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo's fake Bot API listens where any local user can reach it: what it reads is bounded. */
class FakeTelegramApiTest {
    private static final String TOKEN = "123456:fake-token-for-the-test";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aCallOverTheBodyLimitIsAnsweredAsTheRealApiDoesAndNothingIsSent() throws Exception {
        try (FakeTelegramApi telegram = new FakeTelegramApi(TOKEN)) {
            String text = "x".repeat(BotApiWire.MAX_BODY_BYTES);
            HttpResponse<String> tooLarge = send(telegram, "{\"chat_id\": 7, \"text\": \"" + text + "\"}");
            assertThat(tooLarge.statusCode()).isEqualTo(413);
            assertThat(tooLarge.body()).contains("\"ok\":false", "\"error_code\":413", "Request Entity Too Large");
            assertThat(telegram.sent()).isEmpty();

            HttpResponse<String> small = send(telegram, "{\"chat_id\": 7, \"text\": \"hello\"}");
            assertThat(small.statusCode()).as(small.body()).isEqualTo(200);
            assertThat(telegram.sent()).extracting(FakeTelegramApi.Sent::text).containsExactly("hello");
            assertThat(telegram.requests()).isEqualTo(2);
        }
    }

    private HttpResponse<String> send(FakeTelegramApi telegram, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(telegram.baseUrl() + "/bot" + TOKEN + "/sendMessage"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
