package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.botshift.core.Slot;
import org.junit.jupiter.api.Test;

class RouterMetricsTest {

    @Test
    void percentilesAreEstimatedFromTheHistogramWithinABucketOfTwentyPercent() {
        RouterMetrics metrics = new RouterMetrics();
        for (int i = 0; i < 98; i++) {
            metrics.record(Slot.A, 200, 3_000_000); // 3 ms
        }
        metrics.record(Slot.A, 503, 2_000_000_000L); // 2 s
        metrics.record(Slot.A, 500, 2_000_000_000L);

        RouterStats.SlotStats blue = metrics.stats().of(Slot.A);
        assertThat(blue.requests()).isEqualTo(100);
        assertThat(blue.serverErrors()).isEqualTo(2);
        assertThat(blue.p50Seconds()).isBetween(0.003 / 1.2, 0.003 * 1.2);
        assertThat(blue.p99Seconds()).isBetween(2 / 1.2, 2.0);
        assertThat(blue.latency().total()).isEqualTo(100);
        assertThat(blue.latency().slowerThan(1.0)).isEqualTo(2);
        RouterStats.SlotStats green = metrics.stats().of(Slot.B);
        assertThat(green.requests()).isZero();
        assertThat(green.latency().total()).isZero();
        assertThat(green.latency().upperBounds()).isEqualTo(blue.latency().upperBounds());
    }

    @Test
    void theLatenciesAreTheJudgedRequestsOnly() {
        RouterMetrics metrics = new RouterMetrics();
        metrics.record(Slot.B, 200, 300_000_000L);
        metrics.record(Slot.B, 400, 1_000_000L, InvalidUpdate.NOT_JSON); // junk answered 4xx in no time: not weighed
        metrics.record(Slot.B, 500, 900_000_000L, InvalidUpdate.NOT_JSON); // crashing on junk is the bot's fault

        RouterStats.SlotStats green = metrics.stats().of(Slot.B);
        assertThat(green.judgedRequests()).isEqualTo(2);
        assertThat(green.latency().total()).isEqualTo(2);
        assertThat(green.latency().quantile(0.01)).isGreaterThan(0.2);
    }

    @Test
    void theLatenciesTravelThroughTheStatsJson() {
        RouterMetrics metrics = new RouterMetrics();
        metrics.record(Slot.A, 200, 50_000_000L);
        metrics.record(Slot.B, 200, 400_000_000L);
        RouterStats stats = metrics.stats();

        RouterStats read = RouterStatsJson.fromJson(RouterStatsJson.toJson(stats));
        assertThat(read.of(Slot.A).latency()).isEqualTo(stats.of(Slot.A).latency());
        assertThat(read.of(Slot.B).latency().quantile(0.5)).isCloseTo(0.4, within(0.4 * 0.2));
        assertThat(RouterMetrics.LATENCY_BOUNDS).hasSize(62).startsWith(0.001).endsWith(60.0);
    }
}
