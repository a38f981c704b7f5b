package dev.botshift.cli;

import dev.botshift.core.InvalidInputException;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutState;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a release is older than the live one: {@code botshift deploy} refuses a downgrade unless asked for one
 * ({@code --allow-downgrade}), because the schema has been contracted for the live release and an older one may not
 * survive it. Releases are compared by their leading dotted numbers (semver-ish: {@code 1.10.0 > 1.9.2}); a release
 * without such numbers, or with equal ones, is never called older: only a clear downgrade is refused.
 */
final class ReleaseOrder {
    private static final Pattern NUMERIC_CORE = Pattern.compile("v?(\\d+(?:\\.\\d+)*).*");

    private ReleaseOrder() {
    }

    /** True only when both have numeric cores and {@code candidate}'s is lower. */
    static boolean clearlyOlder(String candidate, String live) {
        Optional<long[]> a = core(candidate);
        Optional<long[]> b = core(live);
        if (a.isEmpty() || b.isEmpty()) {
            return false;
        }
        for (int i = 0; i < Math.max(a.get().length, b.get().length); i++) {
            long x = i < a.get().length ? a.get()[i] : 0;
            long y = i < b.get().length ? b.get()[i] : 0;
            if (x != y) {
                return x < y;
            }
        }
        return false;
    }

    /** The release serving now according to the stored state, if any. */
    static Optional<String> live(RolloutState existing) {
        if (existing == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(existing.phase() instanceof Phase.Succeeded ? existing.release()
                : existing.stableVersion());
    }

    /** Refuses (exit 2, nothing changed) deploying a release clearly older than the live one, unless allowed. */
    static void check(String app, String release, RolloutState existing, boolean allowDowngrade) {
        Optional<String> live = live(existing);
        if (!allowDowngrade && live.isPresent() && clearlyOlder(release, live.get())) {
            throw new InvalidInputException(app + " " + live.get() + " is live; " + release + " is older: deploying it "
                    + "is a downgrade (the schema was contracted for " + live.get() + "). Run again with "
                    + "--allow-downgrade if that is what you want");
        }
    }

    private static Optional<long[]> core(String release) {
        Matcher m = NUMERIC_CORE.matcher(release);
        if (!m.matches()) {
            return Optional.empty();
        }
        String[] parts = m.group(1).split("\\.");
        long[] numbers = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].length() > 18) {
                return Optional.empty(); // not a version number anyone writes: no opinion
            }
            numbers[i] = Long.parseLong(parts[i]);
        }
        return Optional.of(numbers);
    }
}
