package dev.botshift.schema.liquibase;

import dev.botshift.schema.DdlDeadlineExceededException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** When and how long to wait after a DDL statement hit {@code lock_timeout}. */
final class LockRetry {
    static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final long FIRST_MILLIS = 100;
    private static final long MAX_MILLIS = 5_000;

    private LockRetry() {
    }

    /** True when the failure, anywhere in its cause chain, is PostgreSQL's lock_not_available. */
    static boolean isLockTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * Exponential backoff with full jitter between half and all of the step, so several blocked migrators (or a
     * migrator and the application's own retries) do not line up again.
     */
    static Duration backoff(int attempt) {
        long step = Math.min(MAX_MILLIS, FIRST_MILLIS << Math.min(attempt, 10));
        return Duration.ofMillis(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1));
    }

    /** Sleeps between attempts; an interrupt ends the DDL run as a deadline would, naming what it was waiting for. */
    static void pause(Duration d, String waitingFor) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DdlDeadlineExceededException("interrupted while waiting " + waitingFor, e);
        }
    }
}
