package dev.botshift.schema.liquibase;

import dev.botshift.schema.DdlDeadlineExceededException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one lock-timeout retry loop of the schema engine, for a plain Liquibase update and for each lock-light step
 * alike: before each attempt wait politely, attempt, and on PostgreSQL's lock_not_available back off (jittered,
 * exponential) and try again until the {@code ddlDeadline}; every retry is a progress line.
 */
final class LockRetry {
    static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final long FIRST_MILLIS = 100;
    private static final long MAX_MILLIS = 5_000;

    /** One attempt of a DDL run; a lock timeout anywhere in what it throws is retried. */
    @FunctionalInterface
    interface Attempt {
        void run() throws Exception;
    }

    /**
     * What the loop retries, for its messages.
     *
     * @param phase    {@code expand} or {@code contract}
     * @param what     what kept hitting the timeout in the deadline message ("DDL", a statement)
     * @param where    the changeset, named in progress lines; null for a whole update
     * @param target   the database, as {@code host:port/db}
     * @param deadline when to give up
     */
    record Loop(String phase, String what, String where, JdbcTarget target, Instant deadline,
                Consumer<String> progress) {
    }

    private LockRetry() {
    }

    /**
     * Runs {@code attempt} until it succeeds, {@code beforeEach} before every attempt.
     *
     * @param retriesSoFar lock timeouts retried earlier in the same apply (they keep counting the backoff up)
     * @param otherFailure maps a failure that is not a lock timeout to what the caller throws
     * @return the retries so far, this loop's included
     */
    static int untilDeadline(Loop loop, int retriesSoFar, Runnable beforeEach, Attempt attempt,
                             Function<Exception, RuntimeException> otherFailure) {
        for (int retries = retriesSoFar; ; retries++) {
            beforeEach.run();
            try {
                attempt.run();
                return retries;
            } catch (Exception e) {
                if (!isLockTimeout(e)) {
                    throw otherFailure.apply(e);
                }
                Duration wait = backoff(retries);
                long timeout = loop.target().lockTimeout().toMillis();
                if (Instant.now().plus(wait).isAfter(loop.deadline())) {
                    throw new DdlDeadlineExceededException(loop.phase() + ": " + loop.what()
                            + " kept hitting lock_timeout (" + timeout + "ms) on " + loop.target().displayName()
                            + " until ddlDeadline; " + retries + " retries", e);
                }
                loop.progress().accept(loop.phase() + ": lock_timeout " + timeout + "ms hit"
                        + (loop.where() == null ? "" : " in " + loop.where()) + ", a conflicting lock is held; retry "
                        + (retries + 1) + " in " + wait.toMillis() + "ms");
                pause(wait, "to retry a DDL statement");
            }
        }
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
