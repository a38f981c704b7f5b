package dev.botshift.state.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.LocalFileException;
import dev.botshift.os.FileFingerprint;
import dev.botshift.os.IoFailures;
import dev.botshift.os.PrivateDirectory;
import dev.botshift.os.PrivateFiles;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanLoader;
import dev.botshift.plan.ReleaseFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The embedded default's copy of each release's files ({@link ReleaseFiles}: the plan, its changelog's folder, its
 * phases file), taken by {@code botshift deploy} before the rollout is stored, in {@code <state>/<app>/releases/}. The
 * supervisor, {@code resume}, {@code down} and the guard read a release's plan from there, so a checkout that moved on
 * (a CI workspace the next job reused, one plan file edited for each deploy) changes neither the contract a rollout
 * runs hours later nor the plan blue's dead instances are started again from. The bots still run in the plan's folder
 * as deployed ({@link Plan#home()}): their programs are not copied, only fingerprinted, so that a dead instance is not
 * started again from a program rebuilt since ({@link Plan#deployedPrograms()}). Kubernetes keeps the same files in
 * its release bundle.
 */
public final class KeptReleases {
    static final String FOLDER = "releases";
    /** A plan and its changelog are kilobytes; a folder of this size is a checkout, not a changelog's folder. */
    static final long MAX_BYTES = 32L << 20;
    static final int MAX_FILES = 2_000;
    private static final String FILES = "files";
    private static final String RECORD = "kept.json";
    private static final long MAX_RECORD_BYTES = 1L << 20;

    /**
     * What a copy holds besides the files.
     *
     * @param plan the plan file, relative to the copy's {@code files} folder
     * @param home the plan file's folder as deployed (the bots run there)
     * @param root     the folder the files were copied from (an absolute path under it in the plan points into the copy)
     * @param programs the bot's own files its command names, as they were ({@link Plan#programFiles()}), by path
     */
    record Kept(String plan, String home, String root, Map<String, FileFingerprint> programs) {
    }

    private KeptReleases() {
    }

    /**
     * Keeps a copy of {@code plan}'s files for its release, replacing an earlier copy of that release; the copies of
     * releases neither this one nor in {@code inUse} are removed. A copy appears whole or not at all.
     *
     * @throws InvalidInputException (exit 2) when the files are too many or too large to be a release's
     */
    public static void keep(Path stateDir, Plan plan, Set<String> inUse) {
        Path planFile = plan.source().toAbsolutePath().normalize();
        Path state = stateDir.toAbsolutePath().normalize();
        // a state folder inside the changelog's folder holds secrets and these copies: never part of a release
        List<Path> files = ReleaseFiles.of(plan).stream().filter(f -> f.equals(planFile) || !f.startsWith(state))
                .toList();
        Path root = ReleaseFiles.root(files);
        long bytes = 0;
        for (Path file : files) {
            bytes += size(file);
        }
        if (files.size() > MAX_FILES || bytes > MAX_BYTES) {
            Path folder = plan.resolve(plan.database().changelog()).getParent();
            throw new InvalidInputException(plan.source() + ": database.changelog: its folder (" + folder + ") and the"
                    + " plan come to " + files.size() + " files, " + (bytes < 1 << 20 ? (bytes >> 10) + " KiB"
                    : (bytes >> 20) + " MiB") + "; a deploy keeps a copy of the release's files (at most " + MAX_FILES
                    + " files, " + (MAX_BYTES >> 20) + " MiB): give the changelog a folder of its own");
        }
        Path releases = PrivateDirectory.ensure(stateDir, folder(stateDir, plan.name()));
        Path target = copyOf(releases, plan.release());
        try {
            Path fresh = Files.createTempDirectory(releases, ".taking-");
            for (Path file : files) {
                Path to = fresh.resolve(FILES).resolve(root.relativize(file).toString());
                Files.createDirectories(to.getParent());
                Files.copy(file, to);
            }
            String planInCopy = root.relativize(planFile).toString();
            Map<String, FileFingerprint> programs = new LinkedHashMap<>();
            for (Path program : plan.programFiles()) {
                FileFingerprint.of(program).ifPresent(f -> programs.put(program.toString(), f));
            }
            PrivateFiles.replace(fresh.resolve(RECORD), FileStateStore.JSON.writeValueAsBytes(
                    new Kept(planInCopy, plan.home().toString(), root.toString(), programs)));
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(target, Files.createTempDirectory(releases, ".replaced-"),
                        StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
            try (Stream<Path> kept = Files.list(releases)) {
                for (Path other : kept.toList()) {
                    String name = other.getFileName().toString();
                    if (!name.equals(plan.release()) && !inUse.contains(name)) {
                        deleteTree(other);
                    }
                }
            }
        } catch (IOException e) {
            throw IoFailures.of("keep a copy of the release's files in", releases, e);
        }
    }

    /**
     * The plan of {@code app}'s {@code release} as it was deployed: its kept copy; for a rollout deployed before
     * Botshift kept copies, the plan file as it is now.
     *
     * @param planFile the plan file the rollout recorded
     * @param env      where the plan's {@code ${env:…}} are read from
     */
    public static Plan load(Path stateDir, String app, String release, String planFile, Map<String, String> env) {
        Path copy = copyOf(folder(stateDir, app), release);
        Path record = copy.resolve(RECORD);
        Kept kept;
        try {
            if (!Files.exists(record, LinkOption.NOFOLLOW_LINKS)) {
                return PlanLoader.load(Path.of(planFile), env);
            }
            // a record Botshift writes is a regular file of a few hundred bytes: a link, a pipe or a larger file is
            // not read (it could point anywhere, block, or fill the memory)
            boolean plausible = Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)
                    && Files.size(record) <= MAX_RECORD_BYTES;
            kept = plausible ? FileStateStore.JSON.readValue(Files.readAllBytes(record), Kept.class) : null;
        } catch (JsonProcessingException e) {
            kept = null;
        } catch (IOException e) {
            throw IoFailures.of("read", record, e);
        }
        Path plan = kept == null || kept.plan() == null || kept.home() == null || kept.root() == null ? null
                : copy.resolve(FILES).resolve(kept.plan()).normalize();
        if (plan == null || !plan.startsWith(copy.resolve(FILES))) {
            throw new LocalFileException(record + " is not what Botshift writes: remove " + copy + " (its release's plan"
                    + " is then read from " + planFile + " as it is now) or deploy " + release + " again");
        }
        return PlanLoader.load(plan, new Plan.KeptCopy(Path.of(kept.home()), Path.of(kept.root()),
                copy.resolve(FILES).toAbsolutePath(), kept.programs() == null ? Map.of() : kept.programs()), env);
    }

    /** Removes every kept copy of {@code app}'s releases ({@code botshift down}: its rollout is forgotten too). */
    public static void forget(Path stateDir, String app) {
        Path releases = folder(stateDir, app);
        try {
            if (Files.isDirectory(releases, LinkOption.NOFOLLOW_LINKS)) {
                deleteTree(releases);
            }
        } catch (IOException e) {
            throw IoFailures.of("remove the kept releases in", releases, e);
        }
    }

    /** Whether a copy of {@code release} is kept (else {@link #load} reads the plan file as it is now). */
    public static boolean has(Path stateDir, String app, String release) {
        return Files.isRegularFile(copyOf(folder(stateDir, app), release).resolve(RECORD));
    }

    private static Path folder(Path stateDir, String app) {
        return FileStateStore.appFolder(stateDir, app).resolve(FOLDER);
    }

    /** A release is a label value (letters, digits, '.', '-', '_'); anything else never names a folder here. */
    private static Path copyOf(Path releases, String release) {
        if (release == null || release.isEmpty() || release.startsWith(".") || release.contains("/")
                || release.contains("\\")) {
            throw new InvalidInputException("release '" + release + "' cannot name a folder in " + releases);
        }
        return releases.resolve(release);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw IoFailures.of("read", file, e);
        }
    }

    /** Deletes a folder and what it holds; links are deleted, never followed. */
    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
