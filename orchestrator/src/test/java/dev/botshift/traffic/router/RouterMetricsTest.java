package dev.botshift.traffic.router;

import dev.botshift.core.Slot;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RouterMetricsTest {

    @Test
    void percentilesAreEstimatedFromTheHistogram() {
        RouterMetrics metrics = new RouterMetrics();
        for (int i = 0; i < 98; i++) {
            metrics.record(Slot.A, 200, 3_000_000); // 3 ms: bucket (2.5 ms, 5 ms]
        }
        metrics.record(Slot.A, 503, 2_000_000_000L); // 2 s: bucket (1 s, 2.5 s]
        metrics.record(Slot.A, 500, 2_000_000_000L);

        RouterStats.SlotStats blue = metrics.stats().of(Slot.A);
        assertThat(blue.requests()).isEqualTo(100);
        assertThat(blue.serverErrors()).isEqualTo(2);
        assertThat(blue.p50Seconds()).isBetween(0.0025, 0.005);
        assertThat(blue.p99Seconds()).isCloseTo(1.75, within(0.01));
        assertThat(metrics.stats().of(Slot.B)).isEqualTo(RouterStats.SlotStats.NONE);
    }
}
