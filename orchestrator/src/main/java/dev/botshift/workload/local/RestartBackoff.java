package dev.botshift.workload.local;

import dev.botshift.core.Slot;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * When a slot's dead instances may be started again: at once after an instance that served died, but while its
 * replacements die before answering their health check, only after 1 s, 2 s, 4 s … up to 5 minutes (Kubernetes'
 * crash-loop back-off, which starts at 10 s). A bot that cannot start (its database down, a port taken) is then not
 * started twice a second for ever, each start a line in the history and a traceback in its log. In memory: a new
 * supervisor starts counting again.
 */
final class RestartBackoff {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofMinutes(5);

    private record Loop(int failedStarts, Instant notBefore) {
    }

    private final Map<Slot, Loop> loops = new EnumMap<>(Slot.class);

    /** A replacement died before answering its health check: the next start waits longer. Answers the wait. */
    Duration failedStart(Slot slot, Instant now) {
        int failed = failedStarts(slot) + 1;
        Duration wait = FIRST.multipliedBy(1L << Math.min(failed - 1, 20));
        wait = wait.compareTo(MAX) > 0 ? MAX : wait;
        loops.put(slot, new Loop(failed, now.plus(wait)));
        return wait;
    }

    /** A replacement answered: the next death is replaced at once. */
    void recovered(Slot slot) {
        loops.remove(slot);
    }

    int failedStarts(Slot slot) {
        Loop loop = loops.get(slot);
        return loop == null ? 0 : loop.failedStarts();
    }

    boolean mayStart(Slot slot, Instant now) {
        Loop loop = loops.get(slot);
        return loop == null || !now.isBefore(loop.notBefore());
    }
}
