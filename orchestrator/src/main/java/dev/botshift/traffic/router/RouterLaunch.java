package dev.botshift.traffic.router;

import dev.botshift.core.DurationText;
import dev.botshift.core.InvalidInputException;
import dev.botshift.os.IoFailures;
import dev.botshift.os.PrivateFiles;
import dev.botshift.traffic.router.RouterProcess.Options;
import dev.botshift.traffic.router.RouterProcess.Verification;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starting {@code botshift router} processes: cold ({@link #cold}), beside a router being replaced ({@link #beside}),
 * and as a hot spare ({@link RouterSpare}, through {@link #launch}); {@link RouterProcess} decides which and records
 * the result.
 */
final class RouterLaunch {
    /** The line a router prints once both ports listen: the one way its ports are learnt (RouterCommand prints it). */
    private static final Pattern READY = Pattern.compile("router listening on (\\d+) admin (\\d+)");

    private RouterLaunch() {
    }

    /** Starts a router with a new admin token in {@code admin-token} and records it in {@code stateFile}. */
    static RouterProcess cold(Path dir, Path stateFile, Options options) {
        Path log = PrivateFiles.openForAppend(dir.resolve(RouterProcess.LOG_FILE));
        Path tokenFile = dir.resolve(AdminToken.FILE_NAME);
        AdminToken token = AdminToken.generate().writeTo(tokenFile);
        try {
            long logOffset = Files.size(log);
            Process process = launch(dir, options, tokenFile, List.of());
            process.getOutputStream().close();
            int[] ports = awaitReady(process, log, logOffset, options.startTimeout());
            RouterProcess started = new RouterProcess(process.pid(), ports[0], ports[1], stateFile, Optional.of(token),
                    options.recordedVerification(), options.answerTimeout());
            started.record(options.configFile());
            return started;
        } catch (IOException e) {
            throw IoFailures.of("start the router process in", dir, e);
        }
    }

    /**
     * Starts {@code botshift router} as {@code options} say, reading its admin token from {@code tokenFile}, with
     * {@code extra} arguments after the usual ones, its output appended to {@code router.log}: the one place a router's
     * command is built, for a router started cold, one taking over ({@link #beside}) and a hot spare
     * ({@link RouterSpare}).
     */
    static Process launch(Path dir, Options options, Path tokenFile, List<String> extra) throws IOException {
        List<String> command = new ArrayList<>();
        Path setsid = Path.of("/usr/bin/setsid");
        if (Files.isExecutable(setsid)) {
            // its own session (setsid execs, so the pid stays): a Ctrl-C on the command that started it, or its
            // terminal closing, never reaches the router
            command.add(setsid.toString());
        }
        command.addAll(dev.botshift.os.JavaCommand.of(List.of())); // the full compiler: it carries the traffic
        command.addAll(options.mainCommand());
        command.addAll(List.of("--listen", String.valueOf(options.listenPort()),
                "--admin-port", String.valueOf(options.adminPort()),
                "--answer-timeout", DurationText.format(options.answerTimeout()),
                "--config-file", options.configFile().toAbsolutePath().toString(),
                "--admin-token-file", tokenFile.toAbsolutePath().toString()));
        Verification v = options.verification();
        if (v != null) {
            command.addAll(v.arguments());
        }
        if (options.polling() != null) {
            command.addAll(options.polling().arguments(dir));
        }
        command.addAll(extra);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(RouterProcess.LOG_FILE).toFile()));
        return options.environment().applyTo(builder).start();
    }

    static int[] awaitReady(Process process, Path log, long offset, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String output = readFrom(log, offset);
            Matcher ready = READY.matcher(output);
            if (ready.find()) {
                return new int[] {Integer.parseInt(ready.group(1)), Integer.parseInt(ready.group(2))};
            }
            if (!process.isAlive()) {
                String why = "router process exited with " + process.exitValue() + " before listening; its output ("
                        + log + "):\n" + output.strip();
                // exit 2 is the router refusing its input (a port in use, a bad config): the caller's mistake to fix
                throw process.exitValue() == 2 ? new InvalidInputException(why) : new IllegalStateException(why);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                process.destroy();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the router", e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("router did not start listening within " + timeout + "; see " + log);
    }

    private static String readFrom(Path log, long offset) throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                StandardCharsets.UTF_8);
    }

    /**
     * Replaces the live router {@code old} without a moment in which its port refuses a connection: a router with
     * {@code options} binds the same port beside it ({@value RouterProcess#SHARE_PORT_OPTION}), is recorded as the
     * router once it listens, and only then is {@code old} asked to stop (it stops accepting, answers the webhooks in
     * flight and exits). Webhooks sent meanwhile reach one or the other; both follow the same config file. Stopping {@code old}
     * first, as before, refused connections for the 3–4 s a router takes to start. Empty, with {@code old} untouched,
     * where it cannot be done: {@code old} cannot share its port (an older Botshift's router, or a system without
     * {@code SO_REUSEPORT}), either polls the Bot API (two would take each other's updates), or the new router did not
     * start (stopped again; the caller stops {@code old} and starts one cold, which reports why).
     */
    static Optional<RouterProcess> beside(Path dir, Path stateFile, Options options, RouterProcess old) {
        if (!old.sharesPort() || old.polls() || options.polling() != null) {
            return Optional.empty();
        }
        Options beside = options.listenPort() == 0 ? options.withListenPort(old.listenPort()) : options;
        List<String> share = beside.listenPort() == old.listenPort() ? List.of(RouterProcess.SHARE_PORT_OPTION)
                : List.of();
        Path log = PrivateFiles.openForAppend(dir.resolve(RouterProcess.LOG_FILE));
        // the live router's clients read admin-token: it becomes the new router's once the new one serves
        Path tokenFile = dir.resolve(AdminToken.FILE_NAME + ".next-" + ProcessHandle.current().pid());
        AdminToken token = AdminToken.generate().writeTo(tokenFile);
        Process process = null;
        try {
            long logOffset = Files.size(log);
            process = launch(dir, beside, tokenFile, share);
            process.getOutputStream().close();
            int[] ports = awaitReady(process, log, logOffset, beside.startTimeout());
            Files.move(tokenFile, dir.resolve(AdminToken.FILE_NAME), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            RouterProcess successor = new RouterProcess(process.pid(), ports[0], ports[1], stateFile,
                    Optional.of(token), beside.recordedVerification(), beside.answerTimeout());
            successor.record(beside.configFile());
            PrivateFiles.append(log, Instant.now() + " botshift: the router (pid " + successor.pid() + ") serves port "
                    + successor.listenPort() + " beside the one it replaces (pid " + old.pid() + ", run otherwise than"
                    + " the plan asks, or its admin token lost), which now answers its webhooks in flight and stops");
            old.terminate();
            return Optional.of(successor);
        } catch (IOException | RuntimeException e) {
            if (process != null) {
                process.destroyForcibly();
            }
            PrivateFiles.delete(tokenFile);
            PrivateFiles.append(log, Instant.now() + " botshift: a router could not start beside the one serving port "
                    + old.listenPort() + " (pid " + old.pid() + "): " + e.getMessage() + "; that one is stopped and a"
                    + " router started in its place");
            return Optional.empty();
        }
    }
}
