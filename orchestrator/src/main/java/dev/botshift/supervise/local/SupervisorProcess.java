package dev.botshift.supervise.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botshift.os.ProcessLife;
import dev.botshift.os.ProcessStart;
import dev.botshift.rollout.RolloutEvent;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded default's supervisor of one app, as its own OS process: started detached (its own session, stdin from
 * /dev/null, output appended to {@code supervisor.log} in the app's state folder), so a Ctrl-C, a closed terminal or
 * a dead CI job never reaches it. It records itself in {@code supervisor.json} there; a later command attaches
 * instead of starting a second one, and starts a new one when the recorded one is gone.
 */
public final class SupervisorProcess {
    public static final String RECORD = "supervisor.json";
    public static final String LOG = "supervisor.log";
    /** How the last supervisor ended: its pid, exit code and message (what a follower reports when it is gone). */
    public static final String ENDED = "supervisor-ended.json";
    /** What the supervisor guarding an ended rollout has repaired since: {@code botshift status} shows it. */
    public static final String GUARDING = "supervisor-guarding.json";
    /**
     * Why the supervisor cannot drive its open rollout, as it also tries to record in the rollout's history, which
     * may be what cannot be written (a corrupt lock file, a store it cannot reach): {@code botshift status} shows it.
     */
    public static final String BLOCKED = "supervisor-blocked.json";
    /** Held while a supervisor checks for another and records itself. */
    private static final String MUTEX = ".supervisor.mutex";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final long pid;
    private final Path appDir;

    private SupervisorProcess(long pid, Path appDir) {
        this.pid = pid;
        this.appDir = appDir;
    }

    public long pid() {
        return pid;
    }

    public Path log() {
        return appDir.resolve(LOG);
    }

    /** The supervisor recorded in {@code appDir}, if that process still runs. */
    public static Optional<SupervisorProcess> attach(Path appDir) {
        try {
            JsonNode node = JSON.readTree(Files.readString(appDir.resolve(RECORD)));
            long pid = node.path("pid").asLong();
            ProcessStart recorded = new ProcessStart(optionalLong(node, "startedAt"), optionalLong(node, "startTicks"));
            return ProcessLife.live(pid, recorded).map(h -> new SupervisorProcess(pid, appDir));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable: treated as gone, a new one records itself
        }
    }

    /** A recorded number, or null when absent, null or 0 (how a record of an older Botshift says "not known"). */
    private static Long optionalLong(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isIntegralNumber() && value.asLong() != 0 ? value.asLong() : null;
    }

    /**
     * Attaches to the app's supervisor or starts one.
     *
     * @param stateDir the state directory (absolute)
     * @param env      the supervisor's whole environment: what its plan reads, nothing else
     */
    public static SupervisorProcess ensure(Path stateDir, String app, Map<String, String> env) {
        Path appDir = stateDir.resolve(app);
        Optional<SupervisorProcess> running = attach(appDir);
        if (running.isPresent()) {
            return running.get();
        }
        return start(stateDir, app, appDir, env);
    }

    /**
     * Stops the supervisor (SIGTERM; forced after 10 s): what a tear-down does first, or its guard would start again
     * what is being stopped. The rollout stays as stored; a later command starts a new supervisor.
     */
    public void stop() {
        // first: a supervisor forced after 10 s (no "leave" said) must not be replaced by its spare
        SupervisorSpare.stopping(appDir, pid);
        SupervisorSpare.stopRecorded(appDir);
        dev.botshift.os.Termination.stop(pid, java.time.Duration.ofSeconds(10));
    }

    /**
     * Records this process as the app's supervisor (called by the supervisor itself), unless another live one is
     * recorded: two commands that found no supervisor at the same moment each start one, and only the first to claim
     * drives (the other would wait for its lock, give up, and end its followers with a false "stopped").
     *
     * @return the supervisor that drives: empty when it is this process, the other one when this one must leave
     */
    public static Optional<SupervisorProcess> claim(Path appDir) {
        long self = ProcessHandle.current().pid();
        return underMutex(appDir, "cannot record the supervisor in ", () -> {
            Optional<SupervisorProcess> other = attach(appDir).filter(s -> s.pid != self);
            if (other.isPresent()) {
                return other;
            }
            Files.deleteIfExists(appDir.resolve(ENDED)); // a previous supervisor's end is not this one's
            SupervisorSpare.forgetStopped(appDir);
            write(appDir, RECORD, record());
            return Optional.empty();
        });
    }

    /** What is done under the mutex a supervisor holds while it checks for another and records or forgets itself. */
    private interface Locked<T> {
        T run() throws IOException;
    }

    private static <T> T underMutex(Path appDir, String failure, Locked<T> what) {
        try (FileChannel channel = FileChannel.open(appDir.resolve(MUTEX), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
             FileLock ignored = channel.lock()) {
            return what.run();
        } catch (IOException e) {
            throw new UncheckedIOException(failure + appDir, e);
        }
    }

    /** The record of this process (its pid and start, so a pid reused after it ends is never taken for it). */
    private static String record() {
        ProcessHandle self = ProcessHandle.current();
        ProcessStart started = ProcessStart.of(self);
        return JSON.createObjectNode().put("pid", self.pid()).put("startedAt", started.epochMillis())
                .put("startTicks", started.bootTicks()).toString();
    }

    /** What a supervisor with nothing left to drive does after its last look ({@link #leave}). */
    public enum Leaving {
        /** its record is gone: a command storing a rollout from now on starts a new supervisor */
        LEFT,
        /** a rollout was stored for it to drive (by a command that found it recorded): it stays recorded and drives */
        DRIVES_ON,
        /** another live supervisor is recorded: that one drives, and its end, not this one's, is what is read */
        ANOTHER_DRIVES
    }

    /**
     * The last look of a supervisor with nothing left to drive, taken under the mutex {@link #claim} takes and while
     * still recorded, its record removed only if that look finds nothing to drive. A command storing a rollout thus
     * finds it recorded (a deploy stops it; anyone else leaves the rollout to it, and the look sees it) or finds none
     * and starts its own: never a supervisor alive and unrecorded that then drives a rollout with an environment its
     * command never gave it.
     *
     * @param somethingToDrive whether a rollout not ended is stored (read under the mutex)
     */
    public static Leaving leave(Path appDir, java.util.function.BooleanSupplier somethingToDrive) {
        long self = ProcessHandle.current().pid();
        return underMutex(appDir, "cannot look at the supervisor's record in ", () -> {
            Optional<SupervisorProcess> recorded = attach(appDir);
            if (recorded.isPresent() && recorded.get().pid != self) {
                return Leaving.ANOTHER_DRIVES;
            }
            if (somethingToDrive.getAsBoolean()) {
                if (recorded.isEmpty()) { // its record was lost (unreadable, removed by hand): recorded again
                    write(appDir, RECORD, record());
                }
                return Leaving.DRIVES_ON;
            }
            Files.deleteIfExists(appDir.resolve(RECORD));
            return Leaving.LEFT;
        });
    }

    /**
     * The guard between rollouts ({@code platform.DataPlaneKeeper}): of which rollout, since when, how many repairs,
     * and the last one (null before the first); or, while it cannot guard, why ({@code trouble}, since {@code since}).
     */
    public record Guarding(String runId, Instant since, int repairs, Instant lastAt, String last, String trouble) {
        /** Guarding since {@code since}, nothing repaired yet. */
        public static Guarding started(String runId, Instant since) {
            return new Guarding(runId, since, 0, null, null, null);
        }

        /** Not guarding since {@code since}, for {@code trouble}; the supervisor tries again. */
        public static Guarding troubled(String runId, Instant since, String trouble) {
            return new Guarding(runId, since, 0, null, null, trouble);
        }
    }

    /** Records what this process guards (called by the supervisor itself, at the start and after each repair). */
    public static void recordGuarding(Path appDir, Guarding g) {
        var node = JSON.createObjectNode().put("pid", ProcessHandle.current().pid()).put("runId", g.runId())
                .put("since", g.since().toString()).put("repairs", g.repairs());
        if (g.last() != null) {
            node.put("lastAt", g.lastAt().toString()).put("last", g.last());
        }
        if (g.trouble() != null) {
            node.put("trouble", g.trouble());
        }
        write(appDir, GUARDING, node.toString());
    }

    /** What the supervisor guarding {@code appDir}'s ended rollout has recorded, if any. */
    public static Optional<Guarding> guarding(Path appDir) {
        try {
            JsonNode node = JSON.readTree(Files.readString(appDir.resolve(GUARDING)));
            Instant lastAt = node.hasNonNull("lastAt") ? Instant.parse(node.path("lastAt").asText()) : null;
            return Optional.of(new Guarding(node.path("runId").asText(), Instant.parse(node.path("since").asText()),
                    node.path("repairs").asInt(), lastAt, text(node, "last"), text(node, "trouble")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // none, or unreadable: status says nothing of it
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.path(field).asText() : null;
    }

    /** Removes the guarding record (its rollout is no longer the app's last). */
    public static void forgetGuarding(Path appDir) {
        try {
            Files.deleteIfExists(appDir.resolve(GUARDING));
        } catch (IOException e) {
            // status matches the record's rollout against the stored one: a stale record is never shown
        }
    }

    /**
     * Records (or, empty, removes) why this supervisor cannot drive {@code runId} (null when even the rollout could not
     * be read). A record that cannot be written costs only itself: the log has the cause.
     */
    public static void recordBlocked(Path appDir, String runId, Optional<RolloutEvent.DriverBlocked> blocked) {
        try {
            if (blocked.isEmpty()) {
                Files.deleteIfExists(appDir.resolve(BLOCKED));
                return;
            }
            write(appDir, BLOCKED, JSON.createObjectNode().put("pid", ProcessHandle.current().pid()).put("runId", runId)
                    .put("at", blocked.get().at().toString()).put("driver", blocked.get().driver())
                    .put("why", blocked.get().why()).toString());
        } catch (IOException | RuntimeException e) {
            // see above
        }
    }

    /**
     * Why the live supervisor of {@code appDir} cannot drive the rollout {@code runId}, when it recorded so: a record of
     * a supervisor that is gone, or of another rollout, is never shown.
     */
    public static Optional<RolloutEvent.DriverBlocked> blocked(Path appDir, String runId) {
        try {
            JsonNode node = JSON.readTree(Files.readString(appDir.resolve(BLOCKED)));
            long pid = node.path("pid").asLong();
            if (!runId.equals(text(node, "runId")) || attach(appDir).filter(s -> s.pid == pid).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new RolloutEvent.DriverBlocked(Instant.parse(node.path("at").asText()),
                    node.path("driver").asText(), node.path("why").asText()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // none, or unreadable: status says nothing of it
        }
    }

    /** How a supervisor ended: what a follower reports once the process is gone. */
    public record Ended(long pid, int exitCode, String message) {
    }

    /** Records how this process ends (called by the supervisor itself, last). */
    public static void recordEnd(Path appDir, int exitCode, String message) {
        write(appDir, ENDED, JSON.createObjectNode().put("pid", ProcessHandle.current().pid()).put("exitCode", exitCode)
                .put("message", message).toString());
    }

    /** How the last supervisor of {@code appDir} ended, if it recorded it. */
    public static Optional<Ended> ended(Path appDir) {
        try {
            JsonNode node = JSON.readTree(Files.readString(appDir.resolve(ENDED)));
            return Optional.of(new Ended(node.path("pid").asLong(), node.path("exitCode").asInt(),
                    node.path("message").asText()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // none, or unreadable: the follower says the supervisor is gone unexplained
        }
    }

    static void write(Path appDir, String name, String json) {
        try {
            Path temp = Files.createTempFile(appDir, "." + name + ".", ".tmp");
            Files.writeString(temp, json, StandardCharsets.UTF_8);
            Files.move(temp, appDir.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the supervisor in " + appDir, e);
        }
    }

    /** Removes this process's record, if it is still this process's (a newer supervisor keeps its own). */
    public static void forgetSelf(Path appDir) {
        attach(appDir).filter(s -> s.pid == ProcessHandle.current().pid()).ifPresent(s -> {
            try {
                Files.deleteIfExists(appDir.resolve(RECORD));
            } catch (IOException e) {
                // a stale record of a dead process is harmless: attach checks the process
            }
        });
    }

    private static SupervisorProcess start(Path stateDir, String app, Path appDir, Map<String, String> env) {
        try {
            Files.createDirectories(appDir);
            Path log = appDir.resolve(LOG);
            List<String> command = new ArrayList<>();
            Path setsid = Path.of("/usr/bin/setsid");
            if (Files.isExecutable(setsid)) {
                command.add(setsid.toString()); // its own session: the terminal's signals never reach it
            }
            command.addAll(command(stateDir, app));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().clear();
            builder.environment().putAll(env);
            long offset = Files.exists(log) ? Files.size(log) : 0;
            Process process = builder.start();
            return awaitRecord(process, appDir, log, offset);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the supervisor of " + app + " in " + appDir, e);
        }
    }

    /** {@code botshift supervise <app>} as its own JVM: how a supervisor and its spare ({@link SupervisorSpare}) run. */
    static List<String> command(Path stateDir, String app) {
        // it mostly waits (an analysis interval, a bot's start): the quick compiler and the small collector
        // start it with a quarter to a third less CPU, which the router and the bots on the same cores need more.
        // Out of memory it ends at once as on a kill (JavaCommand): its spare then takes over with a fresh JVM (a
        // caught OutOfMemoryError would end it "as it means to", sending the spare away)
        List<String> command = new ArrayList<>(dev.botshift.os.JavaCommand.of(
                List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")));
        command.addAll(List.of("dev.botshift.cli.Main", "supervise", app, "--state-dir", stateDir.toString()));
        return command;
    }

    /** Waits until the new process (setsid execs it, so the pid is the same) recorded itself. */
    private static SupervisorProcess awaitRecord(Process process, Path appDir, Path log, long offset)
            throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<SupervisorProcess> recorded = attach(appDir);
            if (recorded.isPresent()) {
                return recorded.get();
            }
            if (!process.isAlive()) {
                byte[] all = Files.readAllBytes(log);
                String output = new String(all, (int) Math.min(offset, all.length),
                        (int) Math.max(0, all.length - offset), StandardCharsets.UTF_8).strip();
                throw new SupervisorFailedException("the supervisor exited with " + process.exitValue()
                        + " before it took over" + (output.isEmpty() ? "" : ": " + output) + " (log " + log + ")");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SupervisorFailedException("interrupted while the supervisor started (log " + log + ")");
            }
        }
        throw new SupervisorFailedException("the supervisor did not start within " + START_TIMEOUT.toSeconds()
                + " s (log " + log + ")");
    }
}
