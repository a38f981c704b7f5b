package dev.botshift.workload.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.os.ProcessLife;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A drain's SIGTERM gives a bot its timeout to finish; a stopped bot cannot use it, so it is killed at once. */
class DrainTest {
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    @Test
    void aStoppedBotIsKilledAtOnceAndTheOthersDrain() throws Exception {
        Process stopped = new ProcessBuilder("sleep", "60").start();
        Process running = new ProcessBuilder("sleep", "60").start();
        assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(stopped.pid())).start().waitFor()).isZero();
        long by = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!ProcessLife.stopped(stopped.pid()) && System.nanoTime() < by) {
            Thread.sleep(10);
        }
        List<String> said = new ArrayList<>();

        long t0 = System.nanoTime();
        Drain.stop(List.of(stopped.toHandle(), running.toHandle()), DRAIN_TIMEOUT, said::add);
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;

        assertThat(stopped.waitFor(1, TimeUnit.SECONDS) && running.waitFor(1, TimeUnit.SECONDS)).isTrue();
        assertThat(stopped.exitValue()).as("SIGKILL").isEqualTo(128 + 9);
        assertThat(running.exitValue()).as("SIGTERM").isEqualTo(128 + 15);
        assertThat(said).containsExactly("  pid " + stopped.pid() + " is stopped (SIGSTOP): killing");
        assertThat(tookMillis).as("no drain timeout waited out").isLessThan(3_000);
    }
}
