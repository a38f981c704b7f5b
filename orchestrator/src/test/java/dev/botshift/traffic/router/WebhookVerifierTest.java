package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.InvalidInputException;
import dev.botshift.core.WebhookPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Each platform's check against signatures computed outside Java ({@code openssl dgst -sha256 -hmac}), so a mistake
 * in how the signed text is built cannot hide behind the same mistake in the test.
 */
class WebhookVerifierTest {
    static final long SLACK_TS = 1531420618L;
    static final String SLACK_BODY = "{\"type\":\"event_callback\",\"event\":{\"text\":\"hi\"}}";
    // printf 'v0:1531420618:<SLACK_BODY>' | openssl dgst -sha256 -hmac 'slack-signing-s3cret'
    static final String SLACK_SIGNATURE = "v0=a32d9ab6db2e4381f8f28d66e5465d1ea584201e6663840f68aa4f852c502556";
    static final String META_BODY = "{\"object\":\"whatsapp_business_account\",\"entry\":[]}";
    // printf '<META_BODY>' | openssl dgst -sha256 -hmac 'meta-app-s3cret'
    static final String META_SIGNATURE = "sha256=0b2737fd59b4ca254a622c6deeada30098a9d68adeb6a20473e9dc75213b10a6";

    static WebhookVerifier verifier(WebhookPlatform platform, String secret, Instant now) {
        return WebhookVerifier.of(platform, "HOOK_SECRET", Map.of("HOOK_SECRET", secret), null,
                Clock.fixed(now, ZoneOffset.UTC));
    }

    static UnaryOperator<String> headers(String... pairs) {
        Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map::get;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void telegramComparesTheSecretTokenHeader() {
        WebhookVerifier v = verifier(WebhookPlatform.TELEGRAM, "tg_Secret-123", Instant.EPOCH);
        byte[] body = bytes("{\"update_id\":1}");
        assertThat(v.check("POST", null, headers("X-Telegram-Bot-Api-Secret-Token", "tg_Secret-123"), body)).isEmpty();
        assertThat(v.check("POST", null, headers("x-telegram-bot-api-secret-token", "tg_Secret-123"), body)).isEmpty();
        assertThat(v.check("POST", null, headers(), body)).contains(Refusal.MISSING);
        assertThat(v.check("POST", null, headers("X-Telegram-Bot-Api-Secret-Token", "tg_Secret-12"), body)).contains(Refusal.MISMATCH);
        assertThat(v.check("POST", null, headers("X-Telegram-Bot-Api-Secret-Token", ""), body)).contains(Refusal.MISMATCH);
        assertThat(v.toString()).doesNotContain("tg_Secret");
    }

    @Test
    void slackChecksTheV0SignatureAndTheReplayWindow() {
        Instant now = Instant.ofEpochSecond(SLACK_TS + 60);
        WebhookVerifier v = verifier(WebhookPlatform.SLACK, "slack-signing-s3cret", now);
        String ts = Long.toString(SLACK_TS);
        assertThat(v.check("POST", null, headers("X-Slack-Signature", SLACK_SIGNATURE, "X-Slack-Request-Timestamp", ts),
                bytes(SLACK_BODY))).isEmpty();
        assertThat(v.check("POST", null, headers("X-Slack-Signature", SLACK_SIGNATURE, "X-Slack-Request-Timestamp", ts),
                bytes(SLACK_BODY.replace("hi", "ho")))).as("body changed").contains(Refusal.MISMATCH);
        assertThat(v.check("POST", null, headers("X-Slack-Signature", SLACK_SIGNATURE,
                "X-Slack-Request-Timestamp", Long.toString(SLACK_TS + 1)), bytes(SLACK_BODY))).as("timestamp changed")
                .contains(Refusal.MISMATCH);
        assertThat(v.check("POST", null, headers("X-Slack-Signature", SLACK_SIGNATURE), bytes(SLACK_BODY)))
                .contains(Refusal.MISSING);
        assertThat(v.check("POST", null, headers("X-Slack-Signature", SLACK_SIGNATURE, "X-Slack-Request-Timestamp", "soon"),
                bytes(SLACK_BODY))).contains(Refusal.MISMATCH);

        WebhookVerifier sixMinutesLater = verifier(WebhookPlatform.SLACK, "slack-signing-s3cret",
                Instant.ofEpochSecond(SLACK_TS).plus(Duration.ofMinutes(6)));
        assertThat(sixMinutesLater.check("POST", null, headers("X-Slack-Signature", SLACK_SIGNATURE,
                "X-Slack-Request-Timestamp", ts), bytes(SLACK_BODY))).as("a replay").contains(Refusal.STALE);
        WebhookVerifier sixMinutesBefore = verifier(WebhookPlatform.SLACK, "slack-signing-s3cret",
                Instant.ofEpochSecond(SLACK_TS).minus(Duration.ofMinutes(6)));
        assertThat(sixMinutesBefore.check("POST", null, headers("X-Slack-Signature", SLACK_SIGNATURE,
                "X-Slack-Request-Timestamp", ts), bytes(SLACK_BODY))).as("from the future").contains(Refusal.STALE);
    }

    @Test
    void whatsappChecksTheBodySignatureAndLetsTheSubscriptionHandshakeThrough() {
        WebhookVerifier v = verifier(WebhookPlatform.WHATSAPP, "meta-app-s3cret", Instant.EPOCH);
        assertThat(v.check("POST", null, headers("X-Hub-Signature-256", META_SIGNATURE), bytes(META_BODY))).isEmpty();
        assertThat(v.check("POST", null, headers("X-Hub-Signature-256", META_SIGNATURE.toUpperCase().replace("SHA256", "sha256")),
                bytes(META_BODY))).as("hex in capitals").isEmpty();
        assertThat(v.check("POST", null, headers("X-Hub-Signature-256", META_SIGNATURE), bytes(META_BODY + " ")))
                .contains(Refusal.MISMATCH);
        assertThat(v.check("POST", null, headers(), bytes(META_BODY))).contains(Refusal.MISSING);
        assertThat(v.check("POST", "hub.mode=subscribe&hub.verify_token=x&hub.challenge=1", headers(), bytes(META_BODY)))
                .as("a POST is never a handshake").contains(Refusal.MISSING);
        assertThat(v.check("GET", "hub.mode=subscribe&hub.verify_token=x&hub.challenge=1", headers(), new byte[0]))
                .isEmpty();
    }

    @Test
    void theHmacMatchesAPublishedVector() {
        // HMAC-SHA256(key "secret", "test"), as published with several Meta webhook libraries
        WebhookVerifier v = verifier(WebhookPlatform.WHATSAPP, "secret", Instant.EPOCH);
        assertThat(v.check("POST", null, headers("X-Hub-Signature-256",
                "sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914"), bytes("test"))).isEmpty();
    }

    @Test
    void aMissingOrMisshapenSecretIsRefusedNamingTheVariableNeverTheValue() {
        Clock clock = Clock.systemUTC();
        assertThatThrownBy(() -> WebhookVerifier.of(WebhookPlatform.TELEGRAM, "HOOK_SECRET", Map.of(), null, clock))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("HOOK_SECRET").hasMessageContaining("not set");
        assertThatThrownBy(() -> WebhookVerifier.of(WebhookPlatform.TELEGRAM, "HOOK_SECRET",
                Map.of("HOOK_SECRET", "has spaces and S3cret!"), null, clock))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("HOOK_SECRET")
                .hasMessageNotContaining("S3cret");
        assertThat(WebhookVerifier.of(WebhookPlatform.SLACK, "HOOK_SECRET", Map.of("HOOK_SECRET", "k"), null, clock))
                .satisfies(v -> assertThat(((WebhookVerifier.Slack) v).maxSkew()).isEqualTo(Duration.ofMinutes(5)));
        assertThat(new WebhookVerifier.None().check("POST", null, headers(), new byte[0])).isEqualTo(Optional.empty());
    }
}
