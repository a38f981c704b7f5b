package dev.botshift.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real JVM that started a process in its own session (as the demo starts bots and a router) is sent SIGTERM: with
 * a CleanUpOnSignal open, its finally block still runs and stops that process before the JVM ends with 143.
 */
class CleanUpOnSignalTest {
    @TempDir
    Path dir;

    /**
     * The run under test: starts {@code sleep 600} in its own session, waits, and stops it in its finally block (after
     * a first short wait, as the demo stops its traffic first). Like well-behaved code it sets the interrupt flag
     * again when it catches the interrupt. Argument 2 {@code skip}: the finally block does not call
     * {@link CleanUpOnSignal#beforeCleanUp()}.
     */
    public static final class Run {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            boolean clear = !(args.length > 1 && args[1].equals("skip"));
            try (CleanUpOnSignal signal = CleanUpOnSignal.forThisThread(Duration.ofSeconds(20), System.err,
                    "run: stopped")) {
                Process child = new ProcessBuilder("setsid", "sleep", "600").start();
                Files.writeString(dir.resolve("child"), Long.toString(child.pid()));
                try {
                    try {
                        Thread.sleep(600_000);
                    } catch (InterruptedException stopped) {
                        Thread.currentThread().interrupt();
                    }
                } finally {
                    if (clear) {
                        CleanUpOnSignal.beforeCleanUp();
                    }
                    Thread.sleep(10); // a first wait (the demo's: its chat traffic stopping); with the flag still
                    child.destroy(); //  set, it throws at once and the child is left running
                    child.waitFor();
                    Files.writeString(dir.resolve("cleaned"), "yes");
                }
            }
        }
    }

    @Test
    void aSignalledRunStillStopsWhatItStartedAndEndsWithTheSignalsStatus() throws Exception {
        Outcome o = runAndSignal(List.of());
        assertEquals(143, o.exit(), "the JVM ends as SIGTERM ends it");
        assertTrue(Files.exists(dir.resolve("cleaned")), "the finally block ran to its end");
        assertFalse(o.childAlive(), "the process started in its own session is stopped");
        assertTrue(Files.readString(dir.resolve("run.log")).strip().endsWith("run: stopped"),
                "the run's last line, said before the JVM ends");
    }

    @Test
    void withoutClearingTheFlagTheCleanUpIsCutShort() throws Exception {
        Outcome o = runAndSignal(List.of("skip"));
        assertFalse(Files.exists(dir.resolve("cleaned")), "the wait threw at once: the flag was still set");
        assertTrue(o.childAlive(), "so the child was left running (the reason for beforeCleanUp)");
        ProcessHandle.of(o.child()).ifPresent(ProcessHandle::destroyForcibly);
    }

    private record Outcome(int exit, long child, boolean childAlive) {
    }

    private Outcome runAndSignal(List<String> extra) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Run.class.getName(), dir.toString()));
        command.addAll(extra);
        Process run = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("run.log").toFile()).start();
        try {
            Path childFile = dir.resolve("child");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(childFile) || Files.readString(childFile).isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the run started its child: " + Files.readString(
                        dir.resolve("run.log")));
                Thread.sleep(20);
            }
            long child = Long.parseLong(Files.readString(childFile));
            Thread.sleep(200); // in its wait
            run.destroy(); // SIGTERM
            assertTrue(run.waitFor(30, TimeUnit.SECONDS), "the run ended within 30 s of SIGTERM");
            Thread.sleep(100); // the child's exit, reaped by its new parent
            boolean alive = ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false);
            return new Outcome(run.exitValue(), child, alive);
        } finally {
            run.destroyForcibly();
        }
    }
}
