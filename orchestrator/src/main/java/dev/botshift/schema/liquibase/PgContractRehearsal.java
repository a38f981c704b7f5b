package dev.botshift.schema.liquibase;

import dev.botshift.core.UnreachableException;
import dev.botshift.schema.ChangelogSource;
import dev.botshift.schema.ChangesetFailedException;
import dev.botshift.schema.ContractRehearsal;
import dev.botshift.schema.RecordingStart;
import dev.botshift.schema.RehearsalResult;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.schema.lightlock.ChangeSetPlanner;
import dev.botshift.schema.lint.LiquibaseEnvironment;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;

/**
 * The contract rehearsal on PostgreSQL with {@code pg_stat_statements}.
 *
 * <p>Attribution: the view keys statements by (user, database, queryid) and knows no {@code application_name}, so
 * green's statements are found by time: the calls per queryid are read when green gets all traffic (the recording
 * starts) and again at the rehearsal; a statement whose calls grew in between ran while green served alone. That
 * catches the statements green shares with blue (the case a "new statements only" rule misses), at the price of also
 * rehearsing what anything else ran on the database meanwhile (blue's background work, other clients): such a
 * statement can refuse a contract that green alone would pass. The recording lives in this process: after a restart
 * it starts again, and the window shrinks (the result says how long it was).
 */
final class PgContractRehearsal implements ContractRehearsal {
    /** How many broken statements a refusal lists. */
    private static final int MAX_BROKEN = 5;

    private final JdbcTarget target;
    private final ChangelogSource source;
    private final Clock clock;
    private Map<Long, Long> baseline;
    private Instant since;

    PgContractRehearsal(JdbcTarget target, ChangelogSource source, Clock clock) {
        this.target = target;
        this.source = source;
        this.clock = clock;
    }

    @Override
    public Optional<String> unavailable() {
        Connection c = target.open();
        try {
            return StatementStats.unavailable(c, false);
        } catch (SQLException e) {
            return Optional.of("pg_stat_statements cannot be checked (SQLSTATE " + e.getSQLState() + ")");
        } finally {
            JdbcTarget.closeQuietly(c);
        }
    }

    @Override
    public synchronized Optional<RecordingStart> startRecording() {
        if (since != null) {
            return Optional.empty();
        }
        since = clock.instant();
        Connection c;
        try {
            c = target.open();
        } catch (UnreachableException e) {
            baseline = null;
            return notRecorded("statements are not recorded, the contract rehearsal will be skipped: " + e.getMessage());
        }
        try {
            Optional<String> why = StatementStats.unavailable(c, true);
            if (why.isPresent()) {
                baseline = null;
                return notRecorded("statements are not recorded, the contract rehearsal will be skipped: " + why.get());
            }
            baseline = StatementStats.calls(c);
            return Optional.of(new RecordingStart(true,
                    "recording the statements green runs (pg_stat_statements) for the contract rehearsal"));
        } catch (SQLException e) {
            baseline = null;
            return notRecorded("statements are not recorded, the contract rehearsal will be skipped: "
                    + FailureText.cause(e));
        } finally {
            JdbcTarget.closeQuietly(c);
        }
    }

    private static Optional<RecordingStart> notRecorded(String why) {
        return Optional.of(new RecordingStart(false, why));
    }

    @Override
    public synchronized RehearsalResult rehearse() {
        if (since == null) {
            return new RehearsalResult.Skipped("nothing was recorded: Botshift restarted after green got all traffic, "
                    + "so it does not know what green ran");
        }
        if (baseline == null) {
            return new RehearsalResult.Skipped(unavailable().orElse("the recording could not start"));
        }
        long window = Duration.between(since, clock.instant()).toSeconds();
        Connection c = target.open();
        try {
            // read before Botshift's own queries (Liquibase reading the history) can count as grown
            StatementStats.Grown grown = StatementStats.grownSince(c, baseline);
            Contract contract = contractSql();
            return rehearse(c, grown, contract, window);
        } catch (SQLException e) {
            throw new ChangesetFailedException("contract rehearsal on " + target.displayName() + " could not run"
                    + (LockRetry.isLockTimeout(e) ? " (its lock_timeout expired: green's transactions held the table)"
                    : "") + ": " + FailureText.cause(e) + "; nothing was changed", e);
        } finally {
            try {
                c.rollback();
                try (Statement s = c.createStatement()) {
                    c.setAutoCommit(true);
                    s.execute("DEALLOCATE ALL");
                }
            } catch (SQLException ignored) {
                // closing the session below discards the transaction and its prepared statements anyway
            }
            JdbcTarget.closeQuietly(c);
        }
    }

    /** Prepares before the contract (to set aside what never prepares), applies it, prepares again, rolls back. */
    private RehearsalResult rehearse(Connection c, StatementStats.Grown grown, Contract contract, long window)
            throws SQLException {
        c.setAutoCommit(false);
        List<String> candidates = new ArrayList<>();
        int unpreparable = grown.hidden();
        int n = 0;
        for (String sql : grown.texts().values()) {
            if (prepare(c, "botshift_before_" + (++n), sql) == null) {
                candidates.add(sql);
            } else {
                unpreparable++;
            }
        }
        try (Statement s = c.createStatement()) {
            for (String sql : contract.statements()) {
                try {
                    s.execute(sql);
                } catch (SQLException e) {
                    if (LockRetry.isLockTimeout(e)) {
                        throw e;
                    }
                    throw new ChangesetFailedException("contract rehearsal: the contract itself fails at `"
                            + FailureText.oneLine(sql) + "` (SQLSTATE " + e.getSQLState() + "): " + FailureText.cause(e)
                            + "; nothing was changed", e);
                }
            }
        }
        List<RehearsalResult.Broken> broken = new ArrayList<>();
        int prepared = 0;
        n = 0;
        for (String sql : candidates) {
            String error = prepare(c, "botshift_after_" + (++n), sql);
            if (error == null) {
                prepared++;
            } else if (broken.size() < MAX_BROKEN) {
                broken.add(new RehearsalResult.Broken(FailureText.oneLine(sql), error));
            }
        }
        c.rollback();
        if (!broken.isEmpty()) {
            return new RehearsalResult.Refused(broken, prepared);
        }
        return new RehearsalResult.Passed(prepared, unpreparable, contract.skipped(), window);
    }

    /** PREPAREs {@code sql} under a savepoint; returns PostgreSQL's error, or null when it prepared. */
    private static String prepare(Connection c, String name, String sql) throws SQLException {
        Savepoint sp = c.setSavepoint();
        try (Statement s = c.createStatement()) {
            s.execute("PREPARE " + name + " AS " + sql);
            c.releaseSavepoint(sp);
            return null;
        } catch (SQLException e) {
            if (LockRetry.isLockTimeout(e)) {
                throw e;
            }
            c.rollback(sp);
            return FailureText.cause(e) + " (SQLSTATE " + e.getSQLState() + ")";
        }
    }

    /** The pending contract changesets' statements that change what a statement may name; the others counted. */
    private record Contract(List<String> statements, int skipped) {
    }

    private Contract contractSql() {
        Connection c = target.open();
        try {
            Database db = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            return LiquibaseEnvironment.run(source, Map.of(), () -> {
                List<String> statements = new ArrayList<>();
                int skipped = 0;
                PendingChangeSets pending = PendingChangeSets.of(source, SchemaPhase.CONTRACT, db, c);
                for (ChangeSet cs : pending.changeSets()) {
                    for (Change change : cs.getChanges()) {
                        List<String> sql = ChangeSetPlanner.statements(change, cs, db);
                        if (sql == null) {
                            skipped++; // rendered only when it runs (loadData, volatile changes)
                            continue;
                        }
                        for (String s : sql) {
                            if (RehearsedForm.runs(s)) {
                                statements.add(s);
                            } else {
                                skipped++; // changes no statement's validity (see RehearsedForm)
                            }
                        }
                    }
                }
                return new Contract(statements, skipped);
            });
        } catch (dev.botshift.core.BotshiftException e) {
            throw e;
        } catch (Exception e) {
            throw new ChangesetFailedException("contract rehearsal: the contract of " + source + " cannot be read: "
                    + FailureText.cause(e), e);
        } finally {
            JdbcTarget.closeQuietly(c);
        }
    }
}
