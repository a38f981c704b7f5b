package dev.botshift.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Human durations as written in plan files and flags: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1m30s}. */
public final class DurationText {
    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    /**
     * The longest duration Botshift takes, in a plan or a flag: a year. Longer ones are refused rather than
     * overflowing the instants and nanosecond counts they are added to (a "wait forever" is a year here).
     */
    public static final Duration MAX = Duration.ofHours(24 * 365);

    private DurationText() {
    }

    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        String t = text.trim();
        Matcher m = PART.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            end = m.end();
            if (total.compareTo(MAX) > 0) { // checked part by part: a sum of many parts cannot overflow first
                throw new IllegalArgumentException("'" + text + "' is longer than " + format(MAX)
                        + " (a year), the longest duration Botshift takes");
            }
        }
        if (end != t.length() || end == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 500ms, 10s, 5m, 1h30m)");
        }
        return total;
    }

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) return ms / 3_600_000 + "h";
        if (ms % 60_000 == 0 && ms > 0) return ms / 60_000 + "m";
        if (ms % 1000 == 0) return ms / 1000 + "s";
        return ms + "ms";
    }

    /** A duration as a sentence says it ("5 s", "500 ms"), as a supervisor's log and {@code status} say a retry's. */
    public static String spoken(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
