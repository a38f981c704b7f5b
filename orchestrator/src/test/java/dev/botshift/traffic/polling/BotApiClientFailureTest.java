package dev.botshift.traffic.polling;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A getUpdates the Bot API does not answer fails in words, as the webhook commands say it, never with the token. */
class BotApiClientFailureTest {
    private static final String TOKEN = "123456:secret-part_of-the-token";

    @Test
    void aRefusedConnectionSaysSoAndKeepsTheTokenOut() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        BotApiClient api = new BotApiClient(URI.create("http://127.0.0.1:" + closed), new BotToken(TOKEN));

        PollResult result = api.getUpdates(null, Duration.ZERO, 1, null);

        assertThat(result).isInstanceOfSatisfying(PollResult.Failed.class, f -> assertThat(f.description())
                .isEqualTo("getUpdates at http://127.0.0.1:" + closed + ": connection refused")
                .doesNotContain("secret-part"));
    }
}
