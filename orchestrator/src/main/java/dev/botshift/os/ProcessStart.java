package dev.botshift.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * When a process started, recorded beside its pid (bot instances, the supervisor, a lock's holder) so that a pid the
 * OS recycled for another process is not mistaken for the recorded one.
 *
 * <p>Two readings: the start time in epoch ms (what the JDK tells, on every OS) and, on Linux, the start in clock ticks
 * since boot ({@code /proc/<pid>/stat}, field 22). The epoch reading is not exact: the JDK computes it as the boot time
 * from {@code /proc/stat} ({@code btime}, whole seconds, read once per JVM) plus those ticks, and the kernel derives
 * {@code btime} from the wall clock, so a JVM started after the clock was stepped reads every older process as starting
 * that much off (a CI run saw a one-second step make a resumed supervisor take green's live instances for dead). The
 * ticks count from boot and never move: where both sides have them they must be equal; otherwise the epoch readings
 * may differ by up to {@link #SKEW}. After a reboot, a recorded process is only mistaken for a new one that has its
 * pid and started in the same tick (1/100 s) after boot.
 *
 * @param epochMillis the start time in epoch ms, or null where the OS does not tell
 * @param bootTicks   the start in clock ticks since boot, or null (not Linux, or recorded by an older Botshift)
 */
public record ProcessStart(Long epochMillis, Long bootTicks) {
    /** How far two epoch readings of one process may differ when the ticks cannot tell (a step with room for a second). */
    static final Duration SKEW = Duration.ofSeconds(2);
    /** {@code starttime}'s place among the fields after the command name's closing parenthesis (field 22 is the 20th). */
    private static final int START_TICKS_AFTER_NAME = 19;

    /** Both readings of a process now; a reading the OS does not give is null. */
    public static ProcessStart of(ProcessHandle handle) {
        Long epoch = handle.info().startInstant().map(i -> i.toEpochMilli()).orElse(null);
        return new ProcessStart(epoch, bootTicks(handle.pid()));
    }

    /** Whether a reading taken now is of the recorded process; a side that tells nothing cannot tell them apart. */
    public boolean matches(ProcessStart observed) {
        if (bootTicks != null && observed.bootTicks != null) {
            return bootTicks.equals(observed.bootTicks);
        }
        return epochMillis == null || observed.epochMillis == null
                || Math.abs(epochMillis - observed.epochMillis) <= SKEW.toMillis();
    }

    /** The live process {@code pid} if it is the one recorded as {@code recorded}. */
    public static Optional<ProcessHandle> live(long pid, ProcessStart recorded) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> recorded.matches(of(h)));
    }

    /** Field 22 of {@code /proc/<pid>/stat}; null without {@code /proc} or once the process is gone. */
    static Long bootTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may hold spaces and parentheses: count from its last closing one
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return after.length > START_TICKS_AFTER_NAME ? Long.valueOf(after[START_TICKS_AFTER_NAME]) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
