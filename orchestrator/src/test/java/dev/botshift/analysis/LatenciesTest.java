package dev.botshift.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatenciesTest {
    /** Buckets (0, 0.1], (0.1, 0.2], (0.2, 0.4], (0.4, +Inf). */
    static Latencies of(long... counts) {
        List<Long> c = java.util.Arrays.stream(counts).boxed().toList();
        return new Latencies(List.of(0.1, 0.2, 0.4), c);
    }

    @Test
    void quantilesInterpolateInsideTheirBucketAsHistogramQuantileDoes() {
        Latencies l = of(50, 40, 10, 0);
        assertThat(l.total()).isEqualTo(100);
        assertThat(l.quantile(0.5)).isCloseTo(0.1, within(1e-9));
        assertThat(l.quantile(0.7)).isCloseTo(0.15, within(1e-9));
        assertThat(l.quantile(0.99)).isCloseTo(0.2 + 0.2 * 0.9, within(1e-9));
        assertThat(of(0, 0, 0, 5).quantile(0.99)).as("the unbounded bucket answers its lower bound").isEqualTo(0.4);
        assertThat(of(0, 0, 0, 0).quantile(0.99)).isZero();
    }

    @Test
    void slowerThanCountsWholeBucketsAboveAndTheShareOfTheBucketHoldingTheLimit() {
        Latencies l = of(50, 40, 10, 4);
        assertThat(l.slowerThan(0.4)).isEqualTo(4);
        assertThat(l.slowerThan(0.3)).isEqualTo(4 + 5);
        assertThat(l.slowerThan(0.15)).isEqualTo(4 + 10 + 20);
        assertThat(l.slowerThan(0)).isEqualTo(104);
        assertThat(l.slowerThan(5)).as("the unbounded bucket counts in full above any limit").isEqualTo(4);
    }

    @Test
    void aWindowIsTheDifferenceOfTwoReadingsAndAResetStartsFromZero() {
        Latencies earlier = of(10, 5, 1, 0);
        Latencies now = of(30, 6, 9, 2);
        assertThat(now.since(earlier)).isEqualTo(of(20, 1, 8, 2));
        assertThat(of(3, 0, 0, 0).since(earlier)).as("a restarted process").isEqualTo(of(3, 0, 0, 0));
        assertThat(now.since(null)).isEqualTo(now);
        assertThat(now.plus(earlier)).isEqualTo(of(40, 11, 10, 2));
        Latencies otherBuckets = new Latencies(List.of(1.0), List.of(1L, 1L));
        assertThat(now.since(otherBuckets)).isEqualTo(now);
        assertThat(now.plus(otherBuckets)).isEqualTo(now);
    }

    @Test
    void prometheusCumulativeBucketsBecomeCountsPerBucket() {
        Latencies l = Latencies.fromCumulative(List.of(0.1, 0.2, Double.POSITIVE_INFINITY), List.of(5L, 8L, 10L));
        assertThat(l).isEqualTo(new Latencies(List.of(0.1, 0.2), List.of(5L, 3L, 2L)));
        assertThat(Latencies.fromCumulative(List.of(0.1, 0.2), List.of(5L, 8L)).counts()).containsExactly(5L, 3L, 0L);
    }

    @Test
    void bucketsMustAscendAndMatchTheirCounts() {
        assertThatThrownBy(() -> new Latencies(List.of(0.2, 0.1), List.of(0L, 0L, 0L)))
                .hasMessageContaining("ascend");
        assertThatThrownBy(() -> new Latencies(List.of(0.1), List.of(0L))).hasMessageContaining("one bucket more");
    }

    @Test
    void countsCarryLatenciesThroughWindows() {
        Counts earlier = new Counts(16, 1, of(10, 5, 1, 0));
        Counts now = new Counts(47, 2, of(30, 6, 9, 2));
        assertThat(now.since(earlier)).isEqualTo(new Counts(31, 1, of(20, 1, 8, 2)));
        assertThat(new Counts(5, 0).since(new Counts(1, 0)).latency()).isNull();
    }
}
