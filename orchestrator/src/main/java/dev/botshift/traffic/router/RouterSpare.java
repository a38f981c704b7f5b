package dev.botshift.traffic.router;

import dev.botshift.os.IoFailures;
import dev.botshift.os.PrivateDirectory;
import dev.botshift.os.PrivateFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A hot spare of the router: a {@code botshift router} process started with the live router's options, whose JVM is
 * up and warm ({@link RouterServer#warmUp}) but which binds no port until it is {@linkplain #promote promoted}. A
 * router started cold needs 3–4 s on a loaded machine (a JVM, then Netty and Jetty); a spare serves within a fraction of a
 * second, so the supervisor keeps one while it guards the data plane.
 *
 * <p>The go travels on the spare's standard input, a pipe only this process holds: when this process ends, however
 * it ends, the kernel closes the pipe and the spare exits without ever serving. The spare reads its own admin token
 * ({@value #TOKEN_PREFIX}{@code <id>}), never the live router's file, which is replaced by the spare's only once the
 * spare serves. Token and record are named per spare, so no other process's spare can remove or overwrite them.
 */
public final class RouterSpare implements AutoCloseable {
    public static final String TOKEN_PREFIX = AdminToken.FILE_NAME + ".spare-";
    /** {@code router-spare-<id>.json}: a waiting spare's pid, so that a teardown finds it whatever its supervisor did. */
    public static final String RECORD_PREFIX = "router-spare-";
    /** The router's option that makes it a spare (what a spare's command line is recognised by). */
    public static final String STANDBY_OPTION = "--standby-for";
    private static final java.util.concurrent.atomic.AtomicInteger STARTED = new java.util.concurrent.atomic.AtomicInteger();
    private static final Duration STOP_WAIT = Duration.ofSeconds(3);
    /** A killed router's sockets close when its last thread has gone, which may be a moment after it looks dead. */
    private static final Duration PORT_WAIT = Duration.ofSeconds(3);

    private final Process process;
    private final Path dir;
    private final Path log;
    private final Path tokenFile;
    private final Path record;
    private final AdminToken token;
    private final RouterProcess.Options options;
    private volatile boolean promoted;
    private volatile String failure;

    private RouterSpare(Process process, Path dir, Path log, Path tokenFile, Path record, AdminToken token,
                        RouterProcess.Options options) {
        this.record = record;
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.tokenFile = tokenFile;
        this.token = token;
        this.options = options;
    }

    /**
     * Starts a spare that will listen on {@code options.listenPort()} once promoted (give it the live router's port).
     * Returns as soon as the process runs; it warms up on its own meanwhile.
     */
    public static RouterSpare start(Path dir, RouterProcess.Options options) {
        PrivateDirectory.ensure(dir);
        Path log = PrivateFiles.openForAppend(dir.resolve(RouterProcess.LOG_FILE));
        String id = ProcessHandle.current().pid() + "-" + STARTED.incrementAndGet();
        Path tokenFile = dir.resolve(TOKEN_PREFIX + id);
        Path record = dir.resolve(RECORD_PREFIX + id + ".json");
        AdminToken token = AdminToken.generate().writeTo(tokenFile);
        try {
            Process process = RouterLaunch.launch(dir, options, tokenFile,
                    List.of(STANDBY_OPTION, Long.toString(ProcessHandle.current().pid())));
            PrivateFiles.replace(record, RouterConfigJson.JSON.writeValueAsBytes(
                    RouterConfigJson.JSON.createObjectNode().put("pid", process.pid())
                            .put("supervisor", ProcessHandle.current().pid())));
            return new RouterSpare(process, dir, log, tokenFile, record, token, options);
        } catch (IOException e) {
            PrivateFiles.delete(tokenFile);
            throw IoFailures.of("start a spare router in", dir, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /**
     * Tells the spare to serve, waits for its "listening" line, then makes its token the router's and records it in
     * {@code stateFile} as {@link RouterProcess#attachOrStart} records a router it started.
     *
     * @throws IllegalStateException when the spare cannot take over (dead, or its port is taken)
     */
    RouterProcess promote(Path stateFile) {
        try {
            awaitPortFree(options.listenPort(), PORT_WAIT);
            long offset = Files.size(log);
            OutputStream in = process.getOutputStream();
            in.write(("go" + System.lineSeparator()).getBytes(StandardCharsets.US_ASCII));
            in.flush();
            int[] ports = RouterLaunch.awaitReady(process, log, offset, options.startTimeout());
            promoted = true;
            PrivateFiles.delete(record);
            in.close(); // it serves now: nothing more to say, and the router ignores its input from here on
            // clients read the token from admin-token: it becomes the spare's only now that the spare answers
            Files.move(tokenFile, dir.resolve(AdminToken.FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            RouterProcess promoted = new RouterProcess(process.pid(), ports[0], ports[1], stateFile, Optional.of(token),
                    options.recordedVerification(), options.answerTimeout());
            promoted.record(options.configFile());
            return promoted;
        } catch (IOException | RuntimeException e) {
            failure = e.getMessage();
            throw new IllegalStateException("the spare router (pid " + process.pid() + ") could not take over: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Waits until {@code port} can be bound (the router that held it is gone, every thread of it): a go sent sooner
     * would make the spare fail on a port in use and leave only a cold start. After {@code timeout} the go is sent
     * anyway; the spare then reports what holds the port.
     */
    private static void awaitPortFree(int port, Duration timeout) {
        if (port == 0) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new java.net.InetSocketAddress(port));
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Why this spare is not serving, for the guard's report: its failed take-over, or its exit. */
    public String why() {
        if (failure != null) {
            return failure;
        }
        return process.isAlive() ? "it still waits" : "it had exited with " + process.exitValue() + " (see router.log)";
    }

    /**
     * Stops a spare that was not promoted: closing its input is its signal to leave; it is forced after a few
     * seconds. Does nothing to a spare that was promoted: it is the router now.
     */
    @Override
    public void close() {
        if (!promoted) {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            } finally {
                PrivateFiles.delete(tokenFile);
                PrivateFiles.delete(record);
            }
        }
    }

    /**
     * Stops the spare recorded in {@code dir}, if one still waits (its supervisor was killed a moment ago, and the
     * spare has not yet seen it): a teardown leaves nothing behind. A recorded pid whose process is not a waiting
     * router (the pid was reused) is left alone.
     */
    public static void stopRecorded(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(RECORD_PREFIX) && name.endsWith(".json")) {
                    stopRecordedIn(f);
                } else if (name.startsWith(TOKEN_PREFIX)) {
                    PrivateFiles.delete(f);
                }
            }
        } catch (IOException e) {
            // nothing listed, nothing to stop
        }
    }

    private static void stopRecordedIn(Path record) {
        try {
            long pid = RouterConfigJson.JSON.readTree(record.toFile()).path("pid").asLong();
            ProcessHandle.of(pid)
                    .filter(p -> p.info().commandLine().map(c -> c.contains(STANDBY_OPTION)).orElse(false))
                    .ifPresent(p -> {
                        p.destroyForcibly();
                        p.onExit().completeOnTimeout(p, STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
                    });
        } catch (IOException e) {
            // an unreadable record names nobody to stop
        }
        PrivateFiles.delete(record);
    }
}
