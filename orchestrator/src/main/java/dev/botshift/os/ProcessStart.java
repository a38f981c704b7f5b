package dev.botshift.os;

import java.time.Duration;
import java.util.Optional;

/**
 * A process's start time, recorded beside its pid (bot instances, the supervisor, a lock's holder) so that a pid the
 * OS recycled for another process is not mistaken for the recorded one.
 *
 * <p>Two readings of one process's start time need not agree to the millisecond: on Linux the JDK computes it as the
 * boot time from {@code /proc/stat} ({@code btime}, whole seconds, read once per JVM) plus the process's start ticks,
 * and the kernel derives {@code btime} from the wall clock, so it moves by a second when the clock is adjusted. A JVM
 * started later then reads every older process as starting one second off (a CI run saw exactly this: a resumed
 * supervisor took green's live instances for dead and rolled back). Readings within {@link #SKEW} are one process;
 * a recycled pid would need the whole pid space to wrap within that time.
 */
public final class ProcessStart {
    /** How far two readings of one process's start time may differ (a {@code btime} step, with room for a second). */
    static final Duration SKEW = Duration.ofSeconds(2);

    private ProcessStart() {
    }

    /** The process's start time in epoch ms, or null where the OS does not tell. */
    public static Long of(ProcessHandle handle) {
        return handle.info().startInstant().map(i -> i.toEpochMilli()).orElse(null);
    }

    /** Whether a start time read now belongs to the recorded one; an unknown side cannot tell them apart. */
    public static boolean same(Long recorded, Long observed) {
        return recorded == null || observed == null || Math.abs(recorded - observed) <= SKEW.toMillis();
    }

    /** The live process {@code pid} if it is the one recorded as started at {@code recorded} (epoch ms, or null). */
    public static Optional<ProcessHandle> live(long pid, Long recorded) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> same(recorded, of(h)));
    }
}
