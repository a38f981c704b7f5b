package dev.botshift.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.botshift.os.FileFingerprint;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
     * @param root     the folder the kept files were copied from
     * @param files    where they were copied to: an absolute path under {@code root} in the plan points here
     * @param programs the bot's own files its command names (in {@code home}), by absolute path, as they were at the
     *                 deploy: they are not copied, so an instance of the release is started again only while they
     *                 still match (keyed by text: Jackson, which binds the plan, has no key reader for a Path)
     */
    public record KeptCopy(Path home, Path root, Path files, Map<String, FileFingerprint> programs) {
        public KeptCopy {
            programs = Map.copyOf(programs);
        }
    }

    /** A plan read from where the user wrote it. */
    public Plan(String name, String release, DatabaseSpec database, WorkloadSpec workload, TrafficSpec traffic,
                AnalysisSpec analysis, Duration bake, Approval approval, NotifySpec notifications, Path source) {
        this(name, release, database, workload, traffic, analysis, bake, approval, notifications, source, null);
    }

    /** The bot's own files as they were at the deploy, when the plan was read from its kept copy; else none. */
    public Map<Path, FileFingerprint> deployedPrograms() {
        Map<Path, FileFingerprint> programs = new LinkedHashMap<>();
        if (copy != null) {
            copy.programs().forEach((path, fingerprint) -> programs.put(Path.of(path), fingerprint));
        }
        return programs;
    }

    /**
     * The bot's own files its command names: each argument (not an option) that names a regular file, relative to
     * {@link #home()} or absolute, such as {@code ../target/bot.jar} or {@code bot.py}. A program named bare and found
     * on the PATH ({@code java}, {@code python3}) is the machine's, not the release's.
     */
    public List<Path> programFiles() {
        List<Path> files = new ArrayList<>();
        List<String> command = workload() == null ? List.of() : workload().command();
        for (int i = 0; i < command.size(); i++) {
            String arg = command.get(i);
            if (arg == null || arg.isBlank() || arg.startsWith("-") || (i == 0 && !arg.contains("/"))) {
                continue;
            }
            try {
                Path p = resolveInHome(arg);
                if (p.isAbsolute() && Files.isRegularFile(p) && !files.contains(p)) {
                    files.add(p);
                }
            } catch (InvalidPathException e) {
                // not a path: an argument such as a class name with odd characters
            }
        }
        return files;
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
