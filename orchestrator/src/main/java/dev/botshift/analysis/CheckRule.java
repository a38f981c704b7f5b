package dev.botshift.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Judges one custom check for one interval. Pure: no I/O, no clock.
 *
 * <p>A query's value is an instant (its window is in the PromQL) and is held to the limits as it is. A counter pair
 * is judged over a window like the error rate: the window stays open until the denominator has grown by
 * {@code minRequests} (fewer is waiting, never a verdict), and when the pair is a share (the numerator never exceeds
 * the denominator) green fails only when its one-sided 95 % Wilson bound is past the limit, so a handful of unlucky
 * events do not fail a release. A closed window's pass stands while the next one fills; its failure is counted
 * once. No data is inconclusive, never a pass. The upper limit is {@code min(max, blue + maxIncreaseOverBaseline)},
 * blue taken over the same window (or the same query) once it has {@code minRequests} itself.
 */
final class CheckRule {
    private static final double Z = 1.645;

    private CheckRule() {
    }

    /** The check's result and its window for the next interval (counter checks; null otherwise). */
    record Judged(CheckResult result, CheckWindow window) {
    }

    static Judged judge(MetricCheck c, CheckReading green, CheckReading blue, CheckWindow window, int minSamples) {
        if (green instanceof CheckReading.Unreachable u) {
            return new Judged(result(c, Verdict.Kind.PROVIDER_ERROR, null, false, null, null,
                    "could not be read: " + u.why()), window);
        }
        if (green == null || green instanceof CheckReading.NoData) {
            String why = green == null ? "not read" : ((CheckReading.NoData) green).why();
            return new Judged(result(c, Verdict.Kind.INCONCLUSIVE, null, false, null, null, "no data for green: " + why),
                    window);
        }
        if (green instanceof CheckReading.Value v) {
            Double base = blue instanceof CheckReading.Value b && c.relative() ? b.value() : null;
            return new Judged(limits(c, v.value(), v.value(), v.value(), base, null, false, "", blueWhy(c, blue)),
                    window);
        }
        return counted(c, ((CheckReading.Counted) green).cumulative(),
                blue instanceof CheckReading.Counted b ? b.cumulative() : null, window, minSamples);
    }

    private static Judged counted(MetricCheck c, Ratio now, Ratio blueNow, CheckWindow window, int minSamples) {
        CheckResult last = window == null ? null : window.last();
        String denominator = ((MetricCheck.Source.Counters) c.source()).denominator();
        if (window == null || window.green() == null) {
            return new Judged(waiting(c, last, "window started"), new CheckWindow(now, blueNow, last));
        }
        Ratio delta = now.since(window.green());
        if (delta == null) {
            return new Judged(waiting(c, last, "a counter went down (an instance restarted): the window starts again"),
                    new CheckWindow(now, blueNow, last));
        }
        if (delta.denominator() < minSamples) {
            return new Judged(waiting(c, last, "waiting for evidence: " + count(delta.denominator()) + " of "
                    + minSamples + " " + denominator + " (minRequests) since the window opened"), window);
        }
        Ratio blueDelta = blueNow == null || window.blue() == null ? null : blueNow.since(window.blue());
        boolean baseline = blueDelta != null && blueDelta.denominator() >= minSamples;
        double value = delta.value();
        double high = value;
        double low = value;
        if (delta.proportion()) {
            long n = Math.round(delta.denominator());
            long k = Math.round(delta.numerator());
            high = Judge.wilsonLower(k, n, Z);
            low = 1 - Judge.wilsonLower(n - k, n, Z);
        }
        String blueWhy = !c.relative() ? null : baseline ? null
                : "blue has " + (blueDelta == null ? "no window" : count(blueDelta.denominator()) + " " + denominator)
                + ", fewer than the " + minSamples + " a baseline needs";
        String sample = " (" + count(delta.numerator()) + " " + ((MetricCheck.Source.Counters) c.source()).numerator()
                + " of " + count(delta.denominator()) + " " + denominator + ")";
        CheckResult judged = limits(c, value, high, low, baseline ? blueDelta.value() : null,
                Math.round(delta.denominator()), delta.proportion(), sample, blueWhy);
        return new Judged(judged, new CheckWindow(now, blueNow, judged));
    }

    /** While a window fills: the last window's pass stands; a failure, already counted, does not count again. */
    private static CheckResult waiting(MetricCheck c, CheckResult last, String why) {
        if (last != null && last.verdict() == Verdict.Kind.PASS) {
            return new CheckResult(c.name(), Verdict.Kind.PASS, last.value(), last.shown(), last.limit(), last.sample(),
                    c.dryRun(), "last window: " + last.reason() + "; " + why);
        }
        return new CheckResult(c.name(), Verdict.Kind.INCONCLUSIVE, last == null ? null : last.value(),
                last == null ? null : last.shown(), null, null, c.dryRun(),
                why + (last == null ? "" : " (last window " + last.verdict() + ": " + last.reason() + ")"));
    }

    /**
     * Holds green's value to the check's limits.
     *
     * @param high  what is compared with the upper limit (the value, or its lower confidence bound)
     * @param low   what is compared with {@code min} (the value, or its upper confidence bound)
     * @param base  blue's value, null when there is none to compare with
     * @param share  whether the value is a share (shown as a percentage, judged on confidence bounds)
     * @param detail what the value was computed from, after it in the reason
     */
    private static CheckResult limits(MetricCheck c, double value, double high, double low, Double base, Long sample,
                                      boolean share, String detail, String blueWhy) {
        double upper = Double.POSITIVE_INFINITY;
        List<String> parts = new ArrayList<>();
        if (c.max() != null) {
            upper = c.max();
            parts.add("max " + format(c.max(), share));
        }
        if (base != null) {
            double relative = base + c.maxIncreaseOverBaseline();
            parts.add("blue " + format(base, share) + " + " + format(c.maxIncreaseOverBaseline(), share) + " = "
                    + format(relative, share));
            upper = Math.min(upper, relative);
        }
        if (c.min() != null) {
            parts.add("min " + format(c.min(), share));
        }
        String green = "green " + format(value, share) + detail;
        if (parts.isEmpty()) {
            return result(c, Verdict.Kind.INCONCLUSIVE, value, share, null, sample, green + "; no baseline: " + blueWhy);
        }
        String limit = String.join(", ", parts);
        String text = green + ", limit " + limit + (blueWhy == null ? "" : " (" + blueWhy + ")");
        boolean bounded = high != value || low != value;
        if (high > upper) {
            return result(c, Verdict.Kind.FAIL, value, share, limit, sample, text + "; above the limit"
                    + (bounded ? ", at least " + format(high, share) + " with 95% confidence" : ""));
        }
        if (c.min() != null && low < c.min()) {
            return result(c, Verdict.Kind.FAIL, value, share, limit, sample, text + "; below the minimum"
                    + (bounded ? ", at most " + format(low, share) + " with 95% confidence" : ""));
        }
        return result(c, Verdict.Kind.PASS, value, share, limit, sample, text);
    }

    private static String blueWhy(MetricCheck c, CheckReading blue) {
        if (!c.relative() || blue instanceof CheckReading.Value) {
            return null;
        }
        if (blue instanceof CheckReading.NoData nd) {
            return "no data for blue: " + nd.why();
        }
        return blue instanceof CheckReading.Unreachable u ? "blue could not be read: " + u.why() : "no blue";
    }

    private static CheckResult result(MetricCheck c, Verdict.Kind kind, Double value, boolean share, String limit,
                                      Long sample, String reason) {
        return new CheckResult(c.name(), kind, value, value == null ? null : format(value, share), limit, sample,
                c.dryRun(), reason);
    }

    /** A share as a percentage; another value with four significant digits. */
    static String format(double value, boolean share) {
        return share ? Judge.pct(value) : String.format(Locale.ROOT, "%.4g", value);
    }

    private static String count(double counter) {
        return counter == Math.rint(counter) ? String.valueOf((long) counter) : String.format(Locale.ROOT, "%.4g", counter);
    }
}
