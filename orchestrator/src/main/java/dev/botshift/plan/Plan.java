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
 * @param source        the plan file read (relative paths to the release's files, {@link ReleaseFiles}, are resolved
 *                      against its folder); not a plan field
 * @param copy          when the plan was read from the copy its deploy kept, where that copy came from; else null.
 *                      Not a plan field
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
        @JsonIgnore Path source,
        @JsonIgnore KeptCopy copy) {

    /**
     * A kept copy of a release's files ({@link ReleaseFiles}).
     *
     * @param home  the folder of the plan file as the user deployed it: bots run there, and paths to files not kept
     *              (the bots' programs, the changelog's {@code searchPath} and {@code classpath}) resolve against it
     * @param root  the folder the kept files were copied from
     * @param files where they were copied to: an absolute path under {@code root} in the plan points here
     */
    public record KeptCopy(Path home, Path root, Path files) {
    }

    /** A plan read from where the user wrote it. */
    public Plan(String name, String release, DatabaseSpec database, WorkloadSpec workload, TrafficSpec traffic,
                AnalysisSpec analysis, Duration bake, Approval approval, NotifySpec notifications, Path source) {
        this(name, release, database, workload, traffic, analysis, bake, approval, notifications, source, null);
    }

    /** Where the bots run: the folder of the plan file as deployed. */
    public Path home() {
        return copy != null ? copy.home() : source == null ? null : source.toAbsolutePath().getParent();
    }

    /** Where a path to one of the release's files (the changelog, its phases, the template) points. */
    public Path resolve(String path) {
        Path p = Path.of(path);
        if (p.isAbsolute() && copy != null && p.normalize().startsWith(copy.root())) {
            return copy.files().resolve(copy.root().relativize(p.normalize()));
        }
        return against(source == null ? null : source.toAbsolutePath().getParent(), path);
    }

    /** Where a path to a file not kept with the release (a bot's program, a searchPath folder) points. */
    public Path resolveInHome(String path) {
        return against(home(), path);
    }

    private static Path against(Path dir, String relative) {
        Path p = Path.of(relative);
        return p.isAbsolute() || dir == null ? p : dir.resolve(p).normalize();
    }
}
