package dev.botshift.supervise.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botshift.core.ExitCode;
import dev.botshift.os.ProcessLife;
import dev.botshift.os.ProcessStart;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The supervisor's spare: a process that waits, and becomes the app's supervisor when the supervisor is killed
 * ({@code kill -9}, the kernel's out-of-memory killer, a crash of its JVM), so the rollout goes on and its router and
 * bots stay guarded with nobody there to run {@code resume}. As the router's hot spare ({@code RouterSpare}), it
 * learns of the end through a pipe only the supervisor holds: the kernel closes it however the supervisor ends. A
 * supervisor that ends as it means to (its rollout handed to another, {@code down}, a deploy's hand-over, SIGTERM, an
 * error it reported) says {@value #LEAVE} on the pipe first, from a shutdown hook, and its spare leaves; at a bare end
 * of the pipe the spare runs {@code botshift supervise <app> --after <pid>}, which claims the app as any supervisor
 * does (so it leaves if another already drives it).
 *
 * <p>A supervisor that lives but is stopped or frozen (SIGSTOP, a JVM that no longer runs its threads) is killed by
 * its spare after {@link #SILENCE_LIMIT} without a beat on the pipe, and replaced the same way. One whose threads are
 * deadlocked ends itself within a beat ({@link #endIfDeadlocked}), and is replaced the same way.
 *
 * <p>The waiting is a shell's {@code read}, not a JVM: it costs two short processes a beat (every 5 s; one where the
 * system has no {@code timeout} program, which then leaves a frozen supervisor alone). It holds the
 * supervisor's environment (the plan's variables: what the supervisor it becomes needs, as the supervisor itself
 * does) and runs in its own session, so a signal to the supervisor's process group does not reach it. Its pid is
 * recorded in {@value #RECORD}. {@link SupervisorProcess#stop} first marks the supervisor as being stopped
 * ({@link #stopping}), which the spare reads at the pipe's end, and stops a waiting spare: a supervisor forced after
 * its 10 s must not be replaced by its spare. A spare that ends while its supervisor lives (someone killed it) is
 * replaced within {@link #WATCH}.
 */
public final class SupervisorSpare {
    public static final String RECORD = "supervisor-spare.json";
    /** What the supervisor says before it ends on purpose. */
    static final String LEAVE = "leave";
    private static final String SHELL_PATH = "/bin/sh";
    /** The option of {@code botshift supervise} a spare runs it with: the pid of the supervisor it replaces. */
    public static final String AFTER_OPTION = "--after";
    /**
     * Reads lines until the pipe's end; leaves on {@value #LEAVE} (a beat is read and passed over), or at the end when
     * the file in its first argument exists (its supervisor was being stopped: {@link #stopping}); else (the pipe's
     * bare end) becomes the command in the other arguments. Where no {@code timeout} program is there to bound the
     * waiting ({@link #WATCHING}); the beats come all the same, and a script that took any line for the end would
     * become a second supervisor at the first beat.
     */
    private static final String SCRIPT = "while IFS= read -r said; do [ \"$said\" = " + LEAVE + " ] && exit 0; done;"
            + " [ -e \"$1\" ] && exit 0; shift; exec \"$@\"";
    private static final Path TIMEOUT = Path.of("/usr/bin/timeout");
    /**
     * As {@link #SCRIPT}, and a supervisor that says nothing (no {@value #BEAT_LINE}) for as many seconds as its second
     * argument is stopped or frozen: the spare kills it (its pid, the third argument: it lives, since the pipe only it
     * holds is open) and takes over as at the pipe's end. Each line is read by a shell of its own under
     * {@code timeout}: the waiting shell has no read with a time limit, and the builtin read takes no byte past its
     * line, so a {@value #LEAVE} after a beat is never lost.
     */
    private static final String WATCHING = "mark=$1; limit=$2; supervisor=$3; shift 3\n"
            + "while :; do\n"
            + "  said=$(" + TIMEOUT + " \"$limit\" " + SHELL_PATH + " -c 'IFS= read -r said && printf %s \"$said\"'); got=$?\n"
            + "  if [ \"$got\" -eq 0 ]; then [ \"$said\" = " + LEAVE + " ] && exit 0; continue; fi\n"
            + "  [ -e \"$mark\" ] && exit 0\n"
            + "  if [ \"$got\" -eq 124 ]; then\n"
            + "    echo \"botshift supervisor spare (pid $$): the supervisor (pid $supervisor) said nothing for ${limit}s"
            + " (stopped or frozen): killed, this spare takes over\"\n"
            + "    kill -9 \"$supervisor\"\n"
            + "  fi\n"
            + "  exec \"$@\"\n"
            + "done";
    /** What the supervisor says every {@link #SILENCE_LIMIT} / {@link #BEATS_PER_LIMIT} while it lives. */
    static final String BEAT_LINE = "beat";
    /**
     * How long a supervisor may say nothing before its spare takes it for stopped or frozen (SIGSTOP, a machine
     * swapping it out, a JVM that no longer runs its threads) and kills it. Not a rollout loop that waits: the beat
     * comes from a thread of its own, since an expand or contract may rightly hold that loop for minutes (a loop
     * deadlocked ends the JVM instead: {@link #endIfDeadlocked}).
     */
    static final Duration SILENCE_LIMIT = Duration.ofSeconds(30);
    /** Beats within one silence limit: a few late ones (a long pause of the JVM, a loaded machine) are no silence. */
    private static final int BEATS_PER_LIMIT = 6;
    /** {@code supervisor-stopping-<pid>}: the supervisor {@code <pid>} is being stopped on purpose. */
    static final String STOPPING_PREFIX = "supervisor-stopping-";
    /** The waiting shell's {@code $0}: what its command line is recognised by until it becomes the supervisor. */
    public static final String SPARE_NAME = "botshift-supervisor-spare";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How often the supervisor looks whether its spare still waits, and starts another if not. */
    private static final Duration WATCH = Duration.ofSeconds(2);
    private static final Path SHELL = Path.of(SHELL_PATH);
    /**
     * The waiting spare, held for this JVM's whole life: an unreachable pipe's descriptor is closed by the JDK's
     * cleaner, which the spare would take for the supervisor's death. Guarded by the class.
     */
    private static Process current;
    /**
     * Set by the shutdown hook: no spare is started once this supervisor has said it leaves. Written under the class's
     * lock; volatile for the deadlock watch, which reads it without that lock (a deadlock may hold it).
     */
    private static volatile boolean leaving;

    private SupervisorSpare() {
    }

    /**
     * Starts the spare of this process, the supervisor of {@code app} (once it has claimed it), and arranges for it to
     * leave when this JVM ends on purpose. Its output goes to {@code supervisor.log}. Empty, said in the log by the
     * caller, where no shell is there to wait.
     */
    public static Optional<Long> start(Path stateDir, String app) throws IOException {
        List<String> supervisor = new ArrayList<>(SupervisorProcess.command(stateDir, app));
        supervisor.addAll(List.of(AFTER_OPTION, Long.toString(ProcessHandle.current().pid())));
        return start(stateDir.resolve(app), supervisor, SILENCE_LIMIT);
    }

    /**
     * Starts a spare in {@code appDir} that runs {@code becomes} at a bare end of its pipe, and another whenever that
     * one has ended while this process lives (someone killed it).
     */
    static synchronized Optional<Long> start(Path appDir, List<String> becomes, Duration silenceLimit)
            throws IOException {
        if (current != null || !Files.isExecutable(SHELL)) {
            return Optional.empty();
        }
        launch(appDir, becomes, silenceLimit);
        Runtime.getRuntime().addShutdownHook(new Thread(SupervisorSpare::leave, "supervisor-spare-leave"));
        java.util.concurrent.ScheduledExecutorService watch = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "supervisor-spare-watch");
                    t.setDaemon(true);
                    return t;
                });
        watch.scheduleWithFixedDelay(() -> replaceIfEnded(appDir, becomes, silenceLimit), WATCH.toMillis(),
                WATCH.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        long beat = Math.max(1, silenceLimit.toMillis() / BEATS_PER_LIMIT);
        watch.scheduleAtFixedRate(SupervisorSpare::beat, beat, beat, java.util.concurrent.TimeUnit.MILLISECONDS);
        // not under the class's lock, which a deadlock may hold; a thread of its own, which it cannot
        Thread deadlocks = new Thread(() -> endIfDeadlocked(Duration.ofMillis(beat)), "supervisor-deadlock-watch");
        deadlocks.setDaemon(true);
        deadlocks.start();
        return Optional.of(current.pid());
    }

    private static void launch(Path appDir, List<String> becomes, Duration silenceLimit) throws IOException {
        List<String> command = new ArrayList<>();
        Path setsid = Path.of("/usr/bin/setsid");
        if (Files.isExecutable(setsid)) {
            command.add(setsid.toString());
        }
        String stopping = appDir.resolve(STOPPING_PREFIX + ProcessHandle.current().pid()).toString();
        if (Files.isExecutable(TIMEOUT)) {
            command.addAll(List.of(SHELL.toString(), "-c", WATCHING, SPARE_NAME, stopping,
                    Long.toString(Math.max(1, silenceLimit.toSeconds())), Long.toString(ProcessHandle.current().pid())));
        } else {
            command.addAll(List.of(SHELL.toString(), "-c", SCRIPT, SPARE_NAME, stopping));
        }
        command.addAll(becomes);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(appDir.resolve(SupervisorProcess.LOG).toFile()))
                .start();
        current = process;
        ProcessStart started = ProcessStart.of(process.toHandle());
        SupervisorProcess.write(appDir, RECORD, JSON.createObjectNode().put("pid", process.pid())
                .put("supervisor", ProcessHandle.current().pid()).put("startedAt", started.epochMillis())
                .put("startTicks", started.bootTicks()).toString());
    }

    /** A spare that ended while its supervisor lives was killed: another takes its place. */
    private static synchronized void replaceIfEnded(Path appDir, List<String> becomes, Duration silenceLimit) {
        if (leaving || current.isAlive()) {
            return;
        }
        Process ended = current;
        try {
            launch(appDir, becomes, silenceLimit);
            System.out.println("botshift supervisor: its spare (pid " + ended.pid() + ") ended (exit "
                    + ended.exitValue() + "); a new one (pid " + current.pid() + ") takes over if it is killed");
        } catch (IOException | RuntimeException e) {
            // tried again at the next look
        }
    }

    /**
     * Ends this JVM at once when threads of its own are deadlocked (a cycle of monitors or locks, as the JVM finds
     * it): a beat from its own thread would otherwise go on saying the supervisor lives while its rollout loop or its
     * guard waits forever. The threads' stacks go to the log first; the pipe's bare end then makes the spare the
     * supervisor, which goes on from the stored rollout. Looks every {@code every}, as often as the beats.
     */
    private static void endIfDeadlocked(Duration every) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        while (true) {
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            long[] ids = threads.findDeadlockedThreads();
            if (ids != null && !leaving) {
                StringBuilder stacks = new StringBuilder();
                for (java.lang.management.ThreadInfo info : threads.getThreadInfo(ids, true, true)) {
                    if (info != null) {
                        stacks.append(info); // jstack's form: the lock waited for, its owner, the top frames
                    }
                }
                String said = "botshift supervisor (pid " + ProcessHandle.current().pid() + "): " + ids.length
                        + " of its threads are deadlocked, so it ends now and its spare takes over:\n" + stacks;
                try { // straight to the descriptor: System.out's lock may be one of those held
                    new java.io.FileOutputStream(java.io.FileDescriptor.out).write(said.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // the log is gone: ending is still right
                }
                Runtime.getRuntime().halt(ExitCode.INTERNAL); // no hook: a "leave" would send the spare away
            }
        }
    }

    /** Tells the spare this supervisor still runs its threads ({@link #SILENCE_LIMIT}). */
    private static synchronized void beat() {
        if (!leaving) {
            say(BEAT_LINE);
        }
    }

    /** Tells the spare this supervisor ends on purpose (a shutdown hook: not run on SIGKILL or a crash). */
    private static synchronized void leave() {
        leaving = true;
        say(LEAVE);
    }

    /** One line on the spare's pipe. Guarded by the class. */
    private static void say(String line) {
        try {
            OutputStream out = current.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // the spare is gone: replaceIfEnded starts another (none once leaving)
        }
    }

    /**
     * Whether the spare recorded in {@code appDir} lives: waiting, or becoming the supervisor of a killed one (a
     * follower keeps following meanwhile).
     */
    public static boolean alive(Path appDir) {
        try {
            JsonNode node = JSON.readTree(Files.readString(appDir.resolve(RECORD)));
            return ProcessLife.live(node.path("pid").asLong(), recordedStart(node)).isPresent();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static ProcessStart recordedStart(JsonNode node) {
        return new ProcessStart(node.path("startedAt").isIntegralNumber() ? node.path("startedAt").asLong() : null,
                node.path("startTicks").isIntegralNumber() ? node.path("startTicks").asLong() : null);
    }

    /**
     * Marks the supervisor {@code pid} of {@code appDir} as being stopped on purpose, before it is signalled: its
     * spare then leaves at the end of the pipe whatever that end looks like (a supervisor forced with SIGKILL after its
     * 10 s says no {@value #LEAVE}), and so does a spare it starts meanwhile. The next supervisor's claim removes it.
     */
    static void stopping(Path appDir, long pid) {
        SupervisorProcess.write(appDir, STOPPING_PREFIX + pid, "{}");
    }

    /** Removes the marks of supervisors stopped before ({@link #stopping}): what a new supervisor's claim does. */
    static void forgetStopped(Path appDir) {
        try (java.util.stream.Stream<Path> files = Files.list(appDir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(STOPPING_PREFIX)).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // a mark left names a pid that no spare of a live supervisor waits for
        }
    }

    /**
     * Stops the spare recorded in {@code appDir} if it still waits (its recorded start, and not yet the supervisor it
     * was to become): what stopping a supervisor does first.
     */
    public static void stopRecorded(Path appDir) {
        try {
            JsonNode node = JSON.readTree(Files.readString(appDir.resolve(RECORD)));
            ProcessLife.live(node.path("pid").asLong(), recordedStart(node))
                    .filter(p -> p.info().commandLine().map(c -> c.contains(SPARE_NAME)).orElse(false))
                    .ifPresent(p -> {
                        p.descendants().forEach(ProcessHandle::destroy); // the read under way: it holds the pipe
                        p.destroy();
                        p.onExit().completeOnTimeout(p, Duration.ofSeconds(2).toMillis(),
                                java.util.concurrent.TimeUnit.MILLISECONDS).join();
                    });
            Files.deleteIfExists(appDir.resolve(RECORD));
        } catch (IOException | RuntimeException e) {
            // none recorded, or unreadable: nothing known to stop
        }
    }
}
