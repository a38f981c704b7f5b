package dev.botshift.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Green's bots restarting (on Kubernetes a pod's container: a crash, a failed liveness probe, an OOM kill; on the
 * local platform an instance that died and was started again) fail the interval: a fact, not a
 * statistic, so no sample size applies. Restarts count from green's first judged interval (restarts while it
 * started are its readiness deadline's business); a pod that appears later counts from zero. The failure holds
 * while the restarts do, so {@code failureLimit} intervals later green is rolled back. Pure: no I/O, no clock.
 */
final class RestartRule {
    private RestartRule() {
    }

    record Judged(CheckResult result, Map<String, Integer> baselines) {
    }

    /** @return null when the platform reports no restarts (no resource signals) */
    static Judged judge(RestartReading reading, Map<String, Integer> baselines) {
        if (reading == null) {
            return null;
        }
        if (reading instanceof RestartReading.Unreachable u) {
            return new Judged(result(Verdict.Kind.PROVIDER_ERROR, null, "green's restarts could not be read: " + u.why()),
                    baselines);
        }
        RestartReading.Counted counted = (RestartReading.Counted) reading;
        List<Restarts> units = counted.units();
        if (units.isEmpty()) {
            return new Judged(result(Verdict.Kind.INCONCLUSIVE, null, "no " + counted.unit() + " of green found"),
                    baselines);
        }
        boolean first = baselines == null;
        Map<String, Integer> next = first ? new HashMap<>() : new HashMap<>(baselines);
        List<String> restarted = new ArrayList<>();
        long total = 0;
        for (Restarts c : units) {
            int base = next.computeIfAbsent(c.key(), k -> first ? c.count() : 0);
            int since = Math.max(0, c.count() - base);
            if (since > 0) {
                total += since;
                restarted.add(c.what() + " restarted " + since + (since == 1 ? " time" : " times")
                        + (c.lastEnd() == null ? "" : " (last ended: " + c.lastEnd()
                        + (Restarts.OOM_KILLED.equals(c.lastEnd()) ? ", killed for memory" : "") + ")"));
            }
        }
        if (restarted.isEmpty()) {
            return new Judged(result(Verdict.Kind.PASS, 0.0, "no restart in green's " + units.size() + " "
                    + counted.unit() + (units.size() == 1 ? "" : "s") + " since it was first judged"), next);
        }
        return new Judged(result(Verdict.Kind.FAIL, (double) total, String.join("; ", restarted)
                + " since green was first judged"), next);
    }

    private static CheckResult result(Verdict.Kind kind, Double value, String reason) {
        return new CheckResult(Checks.RESTARTS, kind, value, value == null ? null : String.valueOf(value.longValue()),
                value == null ? null : "max 0", null, false, reason);
    }
}
