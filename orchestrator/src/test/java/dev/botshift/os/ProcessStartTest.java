package dev.botshift.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessStartTest {

    @Test
    void aReadingOneSecondOffIsTheSameProcess() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            long pid = sleeper.pid();
            long recorded = ProcessStart.of(sleeper.toHandle());
            // what a JVM started after a btime step reads for the same process
            assertThat(ProcessStart.live(pid, recorded + 1_000)).isPresent();
            assertThat(ProcessStart.live(pid, recorded - 1_000)).isPresent();
            assertThat(ProcessStart.live(pid, recorded)).isPresent();
            assertThat(ProcessStart.live(pid, null)).as("nothing recorded: the pid alone").isPresent();
            // a process that started elsewhere in time under the same pid is another one
            assertThat(ProcessStart.live(pid, recorded + 60_000)).isEmpty();
            assertThat(ProcessStart.live(pid, recorded - 2_001)).isEmpty();
        } finally {
            sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDeadProcessIsNotLive() throws Exception {
        Process done = new ProcessBuilder("true").start();
        Long recorded = ProcessStart.of(done.toHandle()); // null when it has already ended: the pid alone then
        assertThat(done.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessStart.live(done.pid(), recorded)).isEmpty();
    }

    @Test
    void sameToleratesTheSkewOnly() {
        assertThat(ProcessStart.same(10_000L, 12_000L)).isTrue();
        assertThat(ProcessStart.same(10_000L, 12_001L)).isFalse();
        assertThat(ProcessStart.same(null, 5L)).isTrue();
        assertThat(ProcessStart.same(5L, null)).isTrue();
    }
}
