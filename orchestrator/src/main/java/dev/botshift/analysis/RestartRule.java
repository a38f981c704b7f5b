package dev.botshift.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Green's pods restarting (a crash, a failed liveness probe, an OOM kill) fail the interval: a fact, not a
 * statistic, so no sample size applies. Restarts count from green's first judged interval (restarts while it
 * started are its readiness deadline's business); a pod that appears later counts from zero. The failure holds
 * while the restarts do, so {@code failureLimit} intervals later green is rolled back. Pure: no I/O, no clock.
 */
final class RestartRule {
    private RestartRule() {
    }

    record Judged(CheckResult result, Map<String, Integer> baselines) {
    }

    /** @return null when the platform reports no pods (no resource signals) */
    static Judged judge(PodReading reading, Map<String, Integer> baselines) {
        if (reading == null) {
            return null;
        }
        if (reading instanceof PodReading.Unreachable u) {
            return new Judged(result(Verdict.Kind.PROVIDER_ERROR, null, "green's pods could not be read: " + u.why()),
                    baselines);
        }
        List<ContainerRestarts> containers = ((PodReading.Containers) reading).containers();
        if (containers.isEmpty()) {
            return new Judged(result(Verdict.Kind.INCONCLUSIVE, null, "no pod of green found"), baselines);
        }
        boolean first = baselines == null;
        Map<String, Integer> next = first ? new HashMap<>() : new HashMap<>(baselines);
        List<String> restarted = new ArrayList<>();
        long total = 0;
        for (ContainerRestarts c : containers) {
            int base = next.computeIfAbsent(c.key(), k -> first ? c.restarts() : 0);
            int since = Math.max(0, c.restarts() - base);
            if (since > 0) {
                total += since;
                restarted.add("pod " + c.pod() + " container " + c.container() + " restarted " + since
                        + (since == 1 ? " time" : " times")
                        + (c.lastTermination() == null ? "" : " (last ended: " + c.lastTermination()
                        + (ContainerRestarts.OOM_KILLED.equals(c.lastTermination()) ? ", killed for memory" : "") + ")"));
            }
        }
        if (restarted.isEmpty()) {
            return new Judged(result(Verdict.Kind.PASS, 0.0, "no restart in green's " + containers.size()
                    + (containers.size() == 1 ? " container" : " containers") + " since it was first judged"), next);
        }
        return new Judged(result(Verdict.Kind.FAIL, (double) total, String.join("; ", restarted)
                + " since green was first judged"), next);
    }

    private static CheckResult result(Verdict.Kind kind, Double value, String reason) {
        return new CheckResult(Checks.RESTARTS, kind, value, value == null ? null : String.valueOf(value.longValue()),
                value == null ? null : "max 0", null, false, reason);
    }
}
