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
 * router started cold needs 3–4 s on a loaded machine (a JVM, then Jetty); a spare serves within a fraction of a
 * second, so the supervisor keeps one while it guards the data plane.
 *
 * <p>The go travels on the spare's standard input, a pipe only this process holds: when this process ends, however
 * it ends, the kernel closes the pipe and the spare exits without ever serving. The spare reads its own admin token
 * ({@value #TOKEN_FILE}), never the live router's file, which is replaced by the spare's only once the spare serves.
 */
public final class RouterSpare implements AutoCloseable {
    public static final String TOKEN_FILE = AdminToken.FILE_NAME + ".spare";
    private static final Duration STOP_WAIT = Duration.ofSeconds(3);

    private final Process process;
    private final Path dir;
    private final Path log;
    private final Path tokenFile;
    private final AdminToken token;
    private final RouterProcess.Options options;
    private volatile boolean promoted;

    private RouterSpare(Process process, Path dir, Path log, Path tokenFile, AdminToken token,
                        RouterProcess.Options options) {
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
        Path tokenFile = dir.resolve(TOKEN_FILE);
        AdminToken token = AdminToken.generate().writeTo(tokenFile);
        try {
            Process process = RouterProcess.launch(dir, options, tokenFile,
                    List.of("--standby-for", Long.toString(ProcessHandle.current().pid())));
            return new RouterSpare(process, dir, log, tokenFile, token, options);
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
            long offset = Files.size(log);
            OutputStream in = process.getOutputStream();
            in.write(("go" + System.lineSeparator()).getBytes(StandardCharsets.US_ASCII));
            in.flush();
            int[] ports = RouterProcess.awaitReady(process, log, offset, options.startTimeout());
            promoted = true;
            in.close(); // it serves now: nothing more to say, and the router ignores its input from here on
            // clients read the token from admin-token: it becomes the spare's only now that the spare answers
            Files.move(tokenFile, dir.resolve(AdminToken.FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            RouterProcess promoted = new RouterProcess(process.pid(), ports[0], ports[1], stateFile, Optional.of(token),
                    options.recordedVerification());
            promoted.record(options.configFile());
            return promoted;
        } catch (IOException e) {
            throw new IllegalStateException("the spare router (pid " + process.pid() + ") could not take over: "
                    + e.getMessage(), e);
        }
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
            }
        }
    }
}
