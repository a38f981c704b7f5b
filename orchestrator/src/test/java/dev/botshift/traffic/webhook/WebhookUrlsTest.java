package dev.botshift.traffic.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.InvalidInputException;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The ports Telegram's setWebhook takes are refused here first; a self-hosted Bot API server takes any. */
class WebhookUrlsTest {
    private static final URI TELEGRAM = URI.create("https://api.telegram.org");

    @Test
    void telegramsFourPortsAreTakenAnyOtherIsRefusedNamingIt() {
        for (String ok : new String[] {"https://bots.example.com/hook", "https://bots.example.com:443/hook",
                "https://bots.example.com:8443/hook", "https://bots.example.com:88/hook",
                "https://bots.example.com:80/hook"}) {
            assertThat(WebhookUrls.webhookUrl(ok, TELEGRAM)).hasToString(ok);
        }
        assertThatThrownBy(() -> WebhookUrls.webhookUrl("https://bots.example.com:8080/hook", TELEGRAM))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("got port 8080");
    }

    @Test
    void aSelfHostedBotApiServerTakesAnyPort() {
        assertThat(WebhookUrls.webhookUrl("https://bots.internal:9443/hook", URI.create("https://botapi.internal")))
                .hasToString("https://bots.internal:9443/hook");
    }
}
