package dev.botshift.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A release plan, as read from a plan file. Secrets have already been resolved from the environment and must
 * never be printed: {@link DatabaseSpec#toString()} masks them.
 *
 * @param name      the app; names its state, its lock and its workloads
 * @param release   the version being rolled out
 * @param bake          how long green keeps 100 % before blue is drained
 * @param approval      where the rollout waits for {@code botshift promote}
 * @param notifications the plan file's {@code notify} block; null when absent
 * @param source        the plan file (relative paths in the plan are resolved against its folder); not a plan field
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
        @JsonProperty("notify") NotifySpec notifications,
        @JsonIgnore Path source) {

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
