package dev.botshift.rollout;

import dev.botshift.analysis.CheckProvider;
import dev.botshift.analysis.CheckReading;
import dev.botshift.analysis.ChecksSeen;
import dev.botshift.analysis.MetricCheck;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.RestartReading;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the custom checks (green's, and blue's for a check compared with blue) and green's restarts for one interval:
 * the ports are asked, nothing is judged. A provider that throws is an unreachable reading, never the end of a run.
 */
final class CheckObserver {
    private CheckObserver() {
    }

    /** @param blueGone after the contract, or on a first release: no blue to compare with */
    static ChecksSeen observe(List<MetricCheck> checks, Ports ports, RolloutState s, boolean blueGone) {
        MetricsTarget green = new MetricsTarget(s.candidate(), s.release());
        MetricsTarget blue = blueGone || s.firstRelease() ? null : new MetricsTarget(s.stable(), s.stableVersion());
        Map<String, CheckReading> greens = new LinkedHashMap<>();
        Map<String, CheckReading> blues = new LinkedHashMap<>();
        for (MetricCheck c : checks) {
            greens.put(c.name(), read(ports.checks(), c, green));
            if (c.relative() && blue != null) {
                blues.put(c.name(), read(ports.checks(), c, blue));
            }
        }
        RestartReading pods;
        try {
            pods = ports.resources().read(green);
        } catch (RuntimeException e) {
            pods = new RestartReading.Unreachable(message(e));
        }
        return new ChecksSeen(greens, blues, pods);
    }

    private static CheckReading read(CheckProvider provider, MetricCheck check, MetricsTarget target) {
        try {
            return provider.read(check, target);
        } catch (RuntimeException e) {
            return new CheckReading.Unreachable(message(e));
        }
    }

    private static String message(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
