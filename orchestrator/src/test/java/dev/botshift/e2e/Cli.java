package dev.botshift.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@code java -jar botshift.jar ...} as a real OS process (so a test can {@code kill -9} it), with the test's
 * database in its environment and its output captured in files under the test's directory.
 */
final class Cli {
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Path jar;
    private final Path logDir;
    private final Map<String, String> env;

    Cli(Path logDir, Map<String, String> env) {
        this.jar = Path.of(requiredProperty("botshift.jar"));
        this.logDir = logDir;
        this.env = Map.copyOf(env);
    }

    static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set: run the ITs through 'mvn verify'");
        }
        return value;
    }

    static Path repo() {
        return Path.of(requiredProperty("botshift.repo")).toAbsolutePath().normalize();
    }

    /** Starts botshift with {@code args}; returns at once. */
    Run start(String... args) {
        int n = RUNS.incrementAndGet();
        String name = n + "-" + args[0];
        // the options the botshift launcher gives a command
        List<String> command = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(dev.botshift.os.JavaCommand.classDataOptions(jar.toString()));
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = logDir.resolve(name + ".out");
        Path err = logDir.resolve(name + ".err");
        try {
            Files.createDirectories(logDir);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(logDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().putAll(env);
            return new Run(String.join(" ", args), builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Runs botshift with {@code args} to its end (at most {@code timeout}). */
    Result run(Duration timeout, String... args) throws InterruptedException {
        return start(args).await(timeout);
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A started botshift process. */
    record Run(String args, Process process, Path out, Path err) {
        Result await(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("botshift " + args + " did not end within " + timeout + "\nstderr:\n"
                        + read(err));
            }
            return new Result(args, process.exitValue(), read(out), read(err));
        }

        /** {@code kill -9}: no shutdown hook, no finally block, no lock release. */
        void kill9() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        /** Whether it still runs, or how it ended and what it wrote on stderr. */
        String describe() {
            return process.isAlive() ? "botshift " + args + " still runs"
                    : "botshift " + args + " -> exit " + process.exitValue() + "\nstderr:\n" + read(err);
        }

        long pid() {
            return process.pid();
        }
    }

    /** The end of a botshift run. */
    record Result(String args, int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "botshift " + args + " -> exit " + exitCode + "\n--- stdout:\n" + stdout + "\n--- stderr:\n" + stderr;
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
