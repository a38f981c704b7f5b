package dev.botshift.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A latency histogram: how many requests took at most each upper bound (in seconds), bucket by bucket, the last
 * bucket unbounded. Cumulative since the colour started when it comes from a provider, a window after
 * {@link #since}. The router's buckets and a Prometheus histogram's {@code le} buckets both fit.
 *
 * @param upperBounds ascending, finite, in seconds; the bucket after the last one holds everything slower
 * @param counts      requests per bucket (not cumulative), one more than {@code upperBounds}
 */
public record Latencies(List<Double> upperBounds, List<Long> counts) {

    public Latencies {
        upperBounds = List.copyOf(upperBounds);
        counts = List.copyOf(counts);
        if (counts.size() != upperBounds.size() + 1) {
            throw new IllegalArgumentException("a histogram has one bucket more than upper bounds: " + counts.size()
                    + " buckets, " + upperBounds.size() + " bounds");
        }
        for (int i = 1; i < upperBounds.size(); i++) {
            if (!(upperBounds.get(i) > upperBounds.get(i - 1))) {
                throw new IllegalArgumentException("upper bounds must ascend: " + upperBounds);
            }
        }
    }

    /** From cumulative counts per upper bound, the last one +Inf (the Prometheus exposition's {@code le} form). */
    public static Latencies fromCumulative(List<Double> bounds, List<Long> cumulative) {
        List<Double> finite = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        long previous = 0;
        for (int i = 0; i < bounds.size(); i++) {
            long c = Math.max(0, cumulative.get(i) - previous); // a scrape between two counters' updates
            previous = Math.max(previous, cumulative.get(i));
            counts.add(c);
            if (!Double.isInfinite(bounds.get(i))) {
                finite.add(bounds.get(i));
            }
        }
        if (finite.size() == bounds.size()) {
            counts.add(0L); // no +Inf bucket given: nothing above the last bound
        }
        return new Latencies(finite, counts);
    }

    public long total() {
        return counts.stream().mapToLong(Long::longValue).sum();
    }

    /** The window between two cumulative readings; a reset (restarted process) or other buckets count from zero. */
    public Latencies since(Latencies earlier) {
        if (earlier == null || !earlier.upperBounds.equals(upperBounds)) {
            return this;
        }
        List<Long> window = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            long d = counts.get(i) - earlier.counts.get(i);
            if (d < 0) {
                return this;
            }
            window.add(d);
        }
        return new Latencies(upperBounds, window);
    }

    /** Both histograms' requests; {@code other} null or with other buckets adds nothing. */
    public Latencies plus(Latencies other) {
        if (other == null || !other.upperBounds.equals(upperBounds)) {
            return this;
        }
        List<Long> sum = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            sum.add(counts.get(i) + other.counts.get(i));
        }
        return new Latencies(upperBounds, sum);
    }

    /**
     * The {@code q} quantile in seconds, as PromQL's {@code histogram_quantile} estimates it: the bucket holding the
     * rank, linearly inside it; the unbounded bucket answers the last bound. 0 without requests.
     */
    public double quantile(double q) {
        long total = total();
        if (total == 0) {
            return 0;
        }
        double rank = q * total;
        long below = 0;
        for (int i = 0; i < counts.size(); i++) {
            long c = counts.get(i);
            if (c > 0 && below + c >= rank) {
                if (i == upperBounds.size()) {
                    return upperBounds.isEmpty() ? 0 : upperBounds.get(i - 1);
                }
                double lower = i == 0 ? 0 : upperBounds.get(i - 1);
                return lower + (upperBounds.get(i) - lower) * (rank - below) / c;
            }
            below += c;
        }
        return upperBounds.isEmpty() ? 0 : upperBounds.get(upperBounds.size() - 1);
    }

    /**
     * How many requests took longer than {@code seconds}: whole buckets above it, and the part of the bucket holding
     * it that lies above (requests spread evenly inside a bucket, as {@link #quantile} assumes), rounded down.
     */
    public long slowerThan(double seconds) {
        double above = 0;
        for (int i = 0; i < counts.size(); i++) {
            double lower = i == 0 ? 0 : upperBounds.get(i - 1);
            double upper = i == upperBounds.size() ? Double.POSITIVE_INFINITY : upperBounds.get(i);
            long c = counts.get(i);
            if (lower >= seconds) {
                above += c;
            } else if (upper > seconds) {
                above += Double.isInfinite(upper) ? c : c * (upper - seconds) / (upper - lower);
            }
        }
        return (long) Math.floor(above + 1e-9);
    }

    /** "123 ms" or "1.25 s". */
    public static String format(double seconds) {
        return seconds < 1 ? String.format(Locale.ROOT, "%.0f ms", seconds * 1000)
                : String.format(Locale.ROOT, "%.2f s", seconds);
    }
}
