package dev.botshift.plan;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A release plan, as read from a plan file. Secrets have already been resolved from the environment and must
 * never be printed: {@link DatabaseSpec#toString()} masks them.
 *
 * @param name      the app; names its state, its lock and its workloads
 * @param release   the version being rolled out
 * @param source    the plan file (relative paths in the plan are resolved against its folder)
 */
public record Plan(
        String name,
        String release,
        DatabaseSpec database,
        WorkloadSpec workload,
        TrafficSpec traffic,
        AnalysisSpec analysis,
        Duration bake,
        Approval approval,
        NotifySpec notifications,
        Path source) {

    /** Where a relative path in this plan points. */
    public Path resolve(String relative) {
        Path p = Path.of(relative);
        if (p.isAbsolute() || source == null) {
            return p;
        }
        Path dir = source.toAbsolutePath().getParent();
        return dir == null ? p : dir.resolve(p).normalize();
    }
}
