package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.analysis.Counts;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.Observation;
import dev.botshift.analysis.router.RouterMetricsProvider;
import dev.botshift.core.Slot;
import dev.botshift.core.WebhookPlatform;
import dev.botshift.core.Weights;
import dev.botshift.kubernetes.testing.Eventually;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A router verifying Telegram webhooks, all traffic to green, under forged and malformed traffic: what fails
 * verification is refused before routing, reaches no bot and no colour's counts; what is routed but not a valid
 * update is counted apart, so a bot's 4xx to junk never reads as served updates.
 */
class RouterVerificationTest extends RouterPerTest {
    static final String SECRET = "tg-S3cret_canary-77";
    static final String HEADER = WebhookVerifier.TELEGRAM_HEADER;

    @Override
    WebhookVerifier verifier() {
        return WebhookVerifier.of(WebhookPlatform.TELEGRAM, "TG_SECRET", Map.of("TG_SECRET", SECRET), null,
                Clock.systemUTC());
    }

    @BeforeEach
    void allToGreen() {
        fixture.client.setWeights(Weights.allTo(Slot.B));
    }

    @Test
    void forgedUpdatesAreRefusedBeforeRoutingAndNeverCountedAsGreenTraffic() throws Exception {
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> missing = fixture.post("/webhook", RouterFixture.update(i));
            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(missing.headers().firstValue(RoutingHandler.SLOT_HEADER)).isEmpty();
            HttpResponse<String> wrong = fixture.post("/webhook", RouterFixture.update(i), HEADER, "guess-" + i);
            assertThat(wrong.statusCode()).isEqualTo(403);
            assertThat(wrong.body()).doesNotContain(SECRET);
        }
        assertThat(fixture.green.requests()).as("no forged request reached a bot").isZero();
        assertThat(fixture.blue1.requests() + fixture.blue2.requests()).isZero();

        fixture.green.answering(500);
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> real = fixture.post("/webhook", RouterFixture.update(1000 + i), HEADER, SECRET);
            assertThat(real.statusCode()).isEqualTo(500);
        }
        assertThat(fixture.green.requests()).isEqualTo(10);
        assertThat(fixture.green.lastHeaders().getFirst(HEADER)).as("the bot may check it too").isEqualTo(SECRET);

        Eventually.await(Duration.ofSeconds(5), "the 10 real updates counted",
                () -> fixture.client.stats().of(Slot.B).requests() == 10);
        RouterStats stats = fixture.client.stats();
        assertThat(stats.refused()).containsEntry("missing", 30L).containsEntry("mismatch", 30L).containsEntry("stale", 0L);
        assertThat(stats.of(Slot.B).serverErrors()).isEqualTo(10);
        // 60 forged requests did not dilute a 100 % failing release
        assertThat(new RouterMetricsProvider(fixture.client).observe(new MetricsTarget(Slot.B, "2.0.0")))
                .usingRecursiveComparison().ignoringFields("counts.latency")
                .isEqualTo(new Observation.Measured(new Counts(10, 10)));
        assertThat(fixture.admin("/metrics").body())
                .contains("botshift_router_refused_total{reason=\"missing\"} 30")
                .contains("botshift_router_refused_total{reason=\"mismatch\"} 30");
    }

    @Test
    void verifiedJunkReachesTheBotButIsCountedAsInvalidNotAsSuccess() throws Exception {
        fixture.green.answering(400);
        for (int i = 0; i < 20; i++) {
            assertThat(fixture.post("/webhook", "not json " + i, HEADER, SECRET).statusCode()).isEqualTo(400);
            assertThat(fixture.post("/webhook", "{\"callback_query\":{\"id\":\"" + i + "\"}}", HEADER, SECRET)
                    .statusCode()).isEqualTo(400);
        }
        fixture.green.answering(200);
        for (int i = 0; i < 5; i++) {
            assertThat(fixture.post("/webhook", RouterFixture.update(i), HEADER, SECRET).statusCode()).isEqualTo(200);
        }
        Eventually.await(Duration.ofSeconds(5), "all 45 counted",
                () -> fixture.client.stats().of(Slot.B).requests() == 45);
        RouterStats stats = fixture.client.stats();
        RouterStats.SlotStats green = stats.of(Slot.B);
        assertThat(green.invalid()).isEqualTo(40);
        assertThat(green.invalidServerErrors()).isZero();
        assertThat(green.judgedRequests()).isEqualTo(5);
        assertThat(stats.invalid()).containsEntry("notJson", 20L).containsEntry("noStickyKey", 20L);
        assertThat(new RouterMetricsProvider(fixture.client).observe(new MetricsTarget(Slot.B, "2.0.0")))
                .usingRecursiveComparison().ignoringFields("counts.latency")
                .isEqualTo(new Observation.Measured(new Counts(5, 0)));
    }

    @Test
    void anInvalidUpdateTheBotFailsWithA5xxStillCountsAsAFailure() throws Exception {
        fixture.green.answering(500);
        for (int i = 0; i < 4; i++) {
            fixture.post("/webhook", "{\"edited_message\":{}}", HEADER, SECRET);
        }
        Eventually.await(Duration.ofSeconds(5), "4 counted", () -> fixture.client.stats().of(Slot.B).requests() == 4);
        assertThat(new RouterMetricsProvider(fixture.client).observe(new MetricsTarget(Slot.B, "2.0.0")))
                .usingRecursiveComparison().ignoringFields("counts.latency")
                .isEqualTo(new Observation.Measured(new Counts(4, 4)));
    }
}
