package dev.botshift.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How Botshift stops its own processes: a running one is asked first; a stopped one, which cannot answer, is killed. */
class TerminationTest {
    private static final Duration GRACE = Duration.ofSeconds(10);

    @Test
    void aRunningProcessIsAskedToStopAndCleansUp(@TempDir Path dir) throws Exception {
        Path said = dir.resolve("said");
        Process p = new ProcessBuilder("sh", "-c", "trap 'echo bye > " + said + "; exit 0' TERM; "
                + "while :; do sleep 0.05; done").start();
        waitForShell(p);

        Termination.stop(p.pid(), GRACE);

        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(said).as("its SIGTERM handler ran").exists();
        assertThat(Files.readString(said).strip()).isEqualTo("bye");
    }

    @Test
    void aStoppedProcessIsKilledAtOnceNotAfterTheGrace() throws Exception {
        Process p = new ProcessBuilder("sleep", "60").start();
        assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(p.pid())).start().waitFor()).isZero();
        long by = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!ProcessLife.stopped(p.pid()) && System.nanoTime() < by) {
            Thread.sleep(10);
        }
        assertThat(ProcessLife.stopped(p.pid())).as("stopped").isTrue();

        long t0 = System.nanoTime();
        Termination.stop(p.pid(), GRACE);
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;

        assertThat(p.waitFor(1, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("SIGKILL").isEqualTo(128 + 9);
        assertThat(tookMillis).as("no grace waited out").isLessThan(3_000);
    }

    @Test
    void anExitedProcessNobodyReapsCountsAsEndedAtOnce() throws Exception {
        // the shell starts a short sleep, then becomes a long one that never reaps it: the short one stays a zombie,
        // as a process whose parent is no init does in a container
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0.1 & echo $!; exec sleep 60").start();
        try {
            long pid = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(
                    parent.getInputStream())).readLine().strip());
            long by = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (ProcessLife.alive(pid) && System.nanoTime() < by) {
                Thread.sleep(10);
            }
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("alive to the JDK").contains(true);

            long t0 = System.nanoTime();
            Termination.stop(pid, GRACE);
            long tookMillis = (System.nanoTime() - t0) / 1_000_000;

            assertThat(tookMillis).as("no grace waited out (before: the whole grace, %s)", GRACE).isLessThan(3_000);
        } finally {
            parent.destroyForcibly();
        }
    }

    /** The trap is set once the shell runs its loop: a SIGTERM before that would just end it. */
    private static void waitForShell(Process p) throws InterruptedException {
        long by = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (p.children().findAny().isEmpty() && System.nanoTime() < by) {
            Thread.sleep(10);
        }
    }
}
