package dev.botshift.schema.liquibase;

import dev.botshift.schema.DdlDeadlineExceededException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Waits, outside the lock queue, until no long-running transaction of another session holds a conflicting lock on
 * the tables a DDL statement is about to lock. Why: PostgreSQL grants locks in queue order, so a waiting ACCESS
 * EXCLUSIVE request blocks every later lock request on the table, even plain reads and writes. Queueing behind a
 * transaction that has been open for seconds would stall the application for up to {@code lock_timeout} on every
 * attempt; polling {@code pg_locks} instead costs the application nothing. Transactions younger than
 * {@link #DEFAULT_THRESHOLD} are ignored: typical application transactions last milliseconds, and queueing behind one
 * costs at most its short remaining runtime, still capped by {@code lock_timeout} (which stays the safety net for a
 * transaction that starts between this check and the attempt).
 */
final class PoliteLockWait {
    static final Duration DEFAULT_THRESHOLD = Duration.ofMillis(200);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(5);

    /** The oldest qualifying holder; relation names resolve an index to its table. Client backends only. */
    private static final String OLDEST_HOLDER = """
            SELECT n.rel, l.pid, l.mode, (extract(epoch FROM clock_timestamp() - a.xact_start) * 1000)::bigint
            FROM unnest(?::text[], ?::boolean[]) AS n(rel, exclusive)
            JOIN pg_locks l ON l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid()
             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
             AND l.relation = coalesce((SELECT i.indrelid FROM pg_index i WHERE i.indexrelid = to_regclass(n.rel)),
                                       to_regclass(n.rel))
             AND (n.exclusive OR l.mode NOT IN ('AccessShareLock', 'RowShareLock'))
            JOIN pg_stat_activity a ON a.pid = l.pid AND a.backend_type = 'client backend'
             AND a.xact_start < clock_timestamp() - make_interval(secs => ?)
            ORDER BY a.xact_start
            LIMIT 1""";

    /** Whether this role can see other roles' transactions in pg_stat_activity (their xact_start is null if not). */
    private static final String SEES_ALL_SESSIONS = "SELECT rolsuper OR pg_has_role(current_user, 'pg_read_all_stats', "
            + "'MEMBER') FROM pg_roles WHERE rolname = current_user";

    private final Consumer<String> progress;
    private final Duration threshold;
    private boolean visibilityChecked;

    PoliteLockWait(Consumer<String> progress, Duration threshold) {
        this.progress = progress;
        this.threshold = threshold;
    }

    /** A long-open transaction holding a lock the statement would queue behind. */
    record Holder(String relation, int pid, String mode, Duration open) {
        String describe() {
            return relation + " (pid " + pid + " holds " + mode + " in a transaction open " + open.toMillis() + "ms)";
        }
    }

    /**
     * Returns once no long holder is left (at once when there is none); polls meanwhile and reports what it waits
     * for, never the holder's query text. If the holders cannot be read, it returns and leaves it to lock_timeout.
     *
     * @param what prefix for progress and errors, e.g. {@code "expand: db/v2.sql::v2-001"}
     * @throws DdlDeadlineExceededException when a holder is still there at {@code deadline}
     */
    void await(Connection c, List<LockTargets.Need> needs, Instant deadline, String what) {
        if (needs.isEmpty()) {
            return;
        }
        warnOnceIfBlind(c, what);
        Instant lastReport = null;
        Instant started = Instant.now();
        while (true) {
            Optional<Holder> holder = oldestHolder(c, needs);
            if (holder.isEmpty()) {
                if (lastReport != null) {
                    progress.accept(what + ": no long transaction holds its tables any more after "
                            + Duration.between(started, Instant.now()).toMillis() + "ms; running it");
                }
                return;
            }
            Instant now = Instant.now();
            if (now.plus(POLL).isAfter(deadline)) {
                throw new DdlDeadlineExceededException(what + ": table " + holder.get().describe()
                        + " stayed locked until ddlDeadline; the DDL did not queue behind it, since a waiting DDL"
                        + " lock blocks every later statement on that table", null);
            }
            if (lastReport == null || now.isAfter(lastReport.plus(REPORT_EVERY))) {
                progress.accept(what + ": waiting without queueing for the lock on " + holder.get().describe());
                lastReport = now;
            }
            LockRetry.pause(POLL, "for a long transaction to end");
        }
    }

    private Optional<Holder> oldestHolder(Connection c, List<LockTargets.Need> needs) {
        try (PreparedStatement ps = c.prepareStatement(OLDEST_HOLDER)) {
            Array relations = c.createArrayOf("text", needs.stream().map(LockTargets.Need::relation).toArray());
            Array exclusive = c.createArrayOf("bool", needs.stream().map(LockTargets.Need::exclusive).toArray());
            ps.setArray(1, relations);
            ps.setArray(2, exclusive);
            ps.setDouble(3, threshold.toMillis() / 1000.0);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Holder(rs.getString(1), rs.getInt(2), rs.getString(3),
                        Duration.ofMillis(rs.getLong(4))));
            }
        } catch (SQLException e) {
            // e.g. a name to_regclass cannot read: no polite wait for this statement, lock_timeout still applies.
            rollbackIfNeeded(c);
            return Optional.empty();
        }
    }

    /** A role that cannot see other roles' transactions would never find a holder: say so once, and why. */
    private void warnOnceIfBlind(Connection c, String what) {
        if (visibilityChecked) {
            return;
        }
        visibilityChecked = true;
        try (PreparedStatement ps = c.prepareStatement(SEES_ALL_SESSIONS); ResultSet rs = ps.executeQuery()) {
            if (rs.next() && !rs.getBoolean(1)) {
                progress.accept(what + ": note: this database user cannot see other users' transactions, so Botshift "
                        + "cannot wait outside the lock queue for them and only lock_timeout protects the application; "
                        + "GRANT pg_read_all_stats TO the migration user (docs/schema-engine.md)");
            }
        } catch (SQLException e) {
            rollbackIfNeeded(c);
        }
    }

    private static void rollbackIfNeeded(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException ignored) {
            // The caller's next statement reports a broken session.
        }
    }

}
