package dev.botshift.workload.local;

import dev.botshift.core.Slot;
import dev.botshift.core.InvalidInputException;
import dev.botshift.os.ChildEnvironment;
import dev.botshift.os.FileFingerprint;
import dev.botshift.os.PrivateFiles;
import dev.botshift.os.ProcessStart;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts one bot process, detached from the orchestrator: its own session ({@code setsid}), stdin from /dev/null and
 * output appended to a file, so neither a Ctrl-C, a closed terminal, a broken pipe nor {@code kill -9} of the
 * orchestrator reaches it. The orchestrator is a controller, not the data plane.
 */
final class BotLauncher {
    private static final File DEV_NULL = new File("/dev/null");

    private final List<String> command;
    private final Path workDir;
    private final Map<String, String> env;
    private final Path logDir;
    private final Clock clock;
    private final Optional<Path> setsid;
    /** The bot's own files as deployed ({@link dev.botshift.plan.Plan#deployedPrograms()}); empty: not known. */
    private final Map<Path, FileFingerprint> deployed;
    /** The first of them found changed: it stays changed (no file is read again for it). */
    private volatile Path changed;

    /**
     * @param env      the plan's workload env, then the caller's env (the database's): the caller's wins
     * @param deployed the bot's own files as its release was deployed with
     */
    BotLauncher(List<String> command, Path workDir, Map<String, String> env, Path logDir, Clock clock,
                Map<Path, FileFingerprint> deployed) {
        this.deployed = Map.copyOf(deployed);
        this.command = command == null ? List.of() : List.copyOf(command);
        this.workDir = workDir.toAbsolutePath();
        this.env = Map.copyOf(env);
        this.logDir = logDir;
        this.clock = clock;
        this.setsid = onPath("setsid");
    }

    /**
     * The command with its program resolved. Checked on every start rather than once, so that stopping and
     * inspecting a colour never depend on the program still being there.
     *
     * @throws InvalidInputException when {@code workload.command} is empty or its program cannot be found
     */
    List<String> checkedCommand() {
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw new InvalidInputException("plan field 'workload.command' is empty: give the bot's command line");
        }
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, resolveProgram(command.get(0), workDir).toString());
        return resolved;
    }

    /**
     * One of the bot's own files that no longer holds what its release was deployed with (a jar rebuilt in place by
     * the next build), or empty: starting the bot then would run other code under the release's name.
     */
    Optional<Path> changedSinceDeploy() {
        if (changed == null) {
            deployed.entrySet().stream().filter(e -> !e.getValue().matches(e.getKey())).findFirst()
                    .ifPresent(e -> changed = e.getKey());
        }
        return Optional.ofNullable(changed);
    }

    /** Starts the bot for {@code slot} on a free port; returns as soon as the process exists. */
    Launched launch(String app, Slot slot, String version, int index) {
        // another program may still take it before the bot binds: the bot then exits, readiness reports it, and
        // the next start replaces it on a new port
        int port = dev.botshift.os.ListenPort.pick();
        Path log = logDir.resolve(slot.label() + "-" + index + ".log");
        // the instance that wrote it before is gone (its index is free): a fresh file past the limit
        PrivateFiles.setAsideIfOver(log, PrivateFiles.LOG_LIMIT_BYTES);
        appendHeader(log, "=== " + clock.instant() + LogTail.START_MARK + app + " " + version + " instance #" + index
                + " on port " + port + " ===");
        List<String> argv = new ArrayList<>();
        setsid.ifPresent(s -> argv.add(s.toString()));
        argv.addAll(checkedCommand());
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        ChildEnvironment childEnv = ChildEnvironment.minimal(System.getenv());
        for (Map.Entry<String, String> e : environment(app, slot, version, port).entrySet()) {
            childEnv = childEnv.with(e.getKey(), e.getValue());
        }
        childEnv.applyTo(builder);
        try {
            Process process = builder.start();
            ProcessStart started = ProcessStart.of(process.toHandle());
            Instance instance = new Instance(index, process.pid(), started.epochMillis(), started.bootTicks(), port,
                    version, log.toAbsolutePath().toString());
            return new Launched(instance, process);
        } catch (IOException e) {
            // the program was found when the plan was read; this is the OS refusing (permissions, resources)
            throw new UncheckedIOException("cannot start the bot (plan field 'workload.command', program "
                    + command.get(0) + ")", e);
        }
    }

    /**
     * libpq's {@code PGAPPNAME}: the bot's sessions show as {@code <app> <version>} in {@code pg_stat_activity}, so an
     * operator sees which version holds a lock. A JDBC bot passes it on as the {@code ApplicationName} URL parameter.
     * The plan's own value wins.
     */
    private static void applicationName(Map<String, String> childEnv, String app, String version) {
        childEnv.putIfAbsent("PGAPPNAME", app + " " + version);
    }

    /** A started process: the record to persist, and the child handle that can still tell its exit code. */
    record Launched(Instance instance, Process process) {
    }

    /**
     * What a bot is handed on top of {@link ChildEnvironment#minimal} (docs/bot-contract.md). Nothing else of this
     * process's environment: the supervisor holds the migration user's password, which is for Liquibase only.
     */
    Map<String, String> environment(String app, Slot slot, String version, int port) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("PORT", Integer.toString(port));
        all.put("BOT_VERSION", version);
        all.put("BOT_SLOT", slot.label());
        applicationName(all, app, version);
        return all;
    }

    /** Appends the header without following a link; the folder was checked by {@link LocalWorkloads#start}. */
    private static void appendHeader(Path log, String line) {
        PrivateFiles.append(log, line);
    }

    private static Path resolveProgram(String program, Path workDir) {
        Optional<Path> found = program.contains(File.separator)
                ? Optional.of(workDir.resolve(program)).filter(BotLauncher::isExecutable)
                : onPath(program);
        return found.orElseThrow(() -> new InvalidInputException("plan field 'workload.command': program '" + program
                + "' not found" + (program.contains(File.separator) ? " (relative to " + workDir + ")" : " on PATH")
                + " or not executable"));
    }

    private static Optional<Path> onPath(String program) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, program);
                if (isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isExecutable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }

    static Map<String, String> mergeEnv(Map<String, String> planEnv, Map<String, String> callerEnv) {
        Map<String, String> merged = new LinkedHashMap<>();
        if (planEnv != null) {
            merged.putAll(planEnv);
        }
        if (callerEnv != null) {
            merged.putAll(callerEnv);
        }
        return merged;
    }
}
