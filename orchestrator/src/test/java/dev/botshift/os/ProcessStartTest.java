package dev.botshift.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessStartTest {

    @Test
    void withTheTicksRecordedAClockStepOfAnyLengthIsTheSameProcessAndAnotherTickIsAnother() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            long pid = sleeper.pid();
            ProcessStart recorded = ProcessStart.of(sleeper.toHandle());
            assertThat(recorded.bootTicks()).as("Linux tells the ticks").isNotNull();
            assertThat(ProcessStart.live(pid, recorded)).isPresent();
            // what a JVM started after the clock was stepped by an hour reads: the ticks say it is the same process
            Long epoch = recorded.epochMillis();
            assertThat(ProcessStart.live(pid, new ProcessStart(epoch + 3_600_000, recorded.bootTicks()))).isPresent();
            // a process that started one tick later under the same pid is another one, whatever the epoch says
            assertThat(ProcessStart.live(pid, new ProcessStart(epoch, recorded.bootTicks() + 1))).isEmpty();
        } finally {
            sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutTicksTheEpochReadingsMayDifferByTheSkewOnly() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            long pid = sleeper.pid();
            long epoch = ProcessStart.of(sleeper.toHandle()).epochMillis();
            // a record of an older Botshift (no ticks), read by a JVM started after a btime step
            assertThat(ProcessStart.live(pid, new ProcessStart(epoch + 1_000, null))).isPresent();
            assertThat(ProcessStart.live(pid, new ProcessStart(epoch - 1_000, null))).isPresent();
            assertThat(ProcessStart.live(pid, new ProcessStart(null, null))).as("nothing recorded: the pid alone")
                    .isPresent();
            assertThat(ProcessStart.live(pid, new ProcessStart(epoch + 60_000, null))).isEmpty();
            assertThat(ProcessStart.live(pid, new ProcessStart(epoch - 2_001, null))).isEmpty();
        } finally {
            sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDeadProcessIsNotLive() throws Exception {
        Process done = new ProcessBuilder("true").start();
        ProcessStart recorded = ProcessStart.of(done.toHandle()); // null readings when it has already ended
        assertThat(done.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessStart.live(done.pid(), recorded)).isEmpty();
    }

    @Test
    void matchesComparesTicksWhereBothHaveThemAndEpochsWithinTheSkewOtherwise() {
        assertThat(new ProcessStart(10_000L, 7L).matches(new ProcessStart(99_000L, 7L))).isTrue();
        assertThat(new ProcessStart(10_000L, 7L).matches(new ProcessStart(10_000L, 8L))).isFalse();
        assertThat(new ProcessStart(10_000L, null).matches(new ProcessStart(12_000L, 8L))).isTrue();
        assertThat(new ProcessStart(10_000L, 7L).matches(new ProcessStart(12_001L, null))).isFalse();
        assertThat(new ProcessStart(null, null).matches(new ProcessStart(5L, 5L))).isTrue();
        assertThat(new ProcessStart(5L, null).matches(new ProcessStart(null, null))).isTrue();
    }

    @Test
    void theTicksAreReadPastACommandNameWithSpacesAndParentheses(@TempDir Path dir) throws Exception {
        Path odd = dir.resolve("s) 1 2 (p");
        Files.copy(Path.of("/bin/sleep"), odd, StandardCopyOption.COPY_ATTRIBUTES); // the name a process's comm shows
        List<Process> started = List.of(new ProcessBuilder("sleep", "30").start(),
                new ProcessBuilder(odd.toString(), "30").start(), new ProcessBuilder("sleep", "30").start());
        try {
            List<Long> ticks = started.stream().map(p -> ProcessStart.bootTicks(p.pid())).toList();
            assertThat(Files.readString(Path.of("/proc", Long.toString(started.get(1).pid()), "stat")))
                    .contains("(s) 1 2 (p)");
            assertThat(ticks).doesNotContainNull();
            assertThat(ticks.get(0)).isLessThanOrEqualTo(ticks.get(1));
            assertThat(ticks.get(1)).isLessThanOrEqualTo(ticks.get(2));
            assertThat(ticks.get(1)).isEqualTo(ProcessStart.bootTicks(started.get(1).pid())).isPositive();
        } finally {
            for (Process p : started) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
