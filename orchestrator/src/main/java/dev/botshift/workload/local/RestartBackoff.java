package dev.botshift.workload.local;

import java.time.Duration;
import java.time.Instant;

/**
 * When a slot's dead instances may be started again: at once after an instance that served died, but while its
 * replacements die before answering their health check, only after 1 s, 2 s, 4 s … up to 5 minutes (Kubernetes'
 * crash-loop back-off, which starts at 10 s). A bot that cannot start (its database down, a port taken) is then not
 * started twice a second for ever, each start a line in the history and a traceback in its log. Kept in the slot's
 * record ({@link SlotFile#backoff}), so a supervisor started again goes on with the back-off instead of starting at 1 s.
 *
 * @param failedStarts    replacements that died before answering, in a row
 * @param notBeforeMillis the epoch ms before which none is started again (0: at once)
 */
record RestartBackoff(int failedStarts, long notBeforeMillis) {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofMinutes(5);
    /** No failed start: a death is replaced at once. */
    static final RestartBackoff NONE = new RestartBackoff(0, 0);

    /** A replacement died before answering its health check: the next start waits longer than the last. */
    RestartBackoff failedStart(Instant now) {
        int failed = Math.max(0, Math.min(failedStarts, 1_000)) + 1;
        Duration wait = FIRST.multipliedBy(1L << Math.min(failed - 1, 20));
        wait = wait.compareTo(MAX) > 0 ? MAX : wait;
        return new RestartBackoff(failed, now.plus(wait).toEpochMilli());
    }

    /** How long the last failed start made the next one wait. */
    Duration waited(Instant failedAt) {
        return Duration.ofMillis(Math.max(0, notBeforeMillis - failedAt.toEpochMilli()));
    }

    /**
     * Whether the wait is over. A wait longer than {@link #MAX} from now was never recorded: the clock was set back
     * since (or the record edited), and the wait is taken as over rather than keeping a dead bot down for as long.
     */
    boolean mayStart(Instant now) {
        long left = notBeforeMillis - now.toEpochMilli();
        return left <= 0 || left > MAX.toMillis();
    }
}
