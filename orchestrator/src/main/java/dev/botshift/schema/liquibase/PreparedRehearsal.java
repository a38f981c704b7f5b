package dev.botshift.schema.liquibase;

import dev.botshift.core.BotshiftException;
import dev.botshift.schema.ChangelogSource;
import dev.botshift.schema.ChangesetFailedException;
import dev.botshift.schema.PasswordLiterals;
import dev.botshift.schema.RehearsalResult;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.schema.lightlock.ChangeSetPlanner;
import dev.botshift.schema.lint.LiquibaseEnvironment;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;

/**
 * The rule both rehearsals share (one source): in one transaction, PREPARE every recorded statement (setting aside
 * what never prepares), apply the phase's statements, PREPARE again, roll back. A statement that prepared before and
 * fails after is broken by the phase. The caller closes the session with {@link #discard}.
 */
final class PreparedRehearsal {
    /** How many broken statements a refusal lists. */
    static final int MAX_BROKEN = 5;

    private PreparedRehearsal() {
    }

    /**
     * The pending changesets' statements of a phase that change what a statement may name; the others counted.
     *
     * @param changeSets how many changesets of the phase are pending
     */
    record Changes(List<String> statements, int skipped, int changeSets) {
        Changes {
            statements = List.copyOf(statements);
        }
    }

    /** What the PREPAREs found. @param unpreparable did not prepare even before the changes (or hidden texts) */
    record Found(int prepared, int unpreparable, List<RehearsalResult.Broken> broken) {
        Found {
            broken = List.copyOf(broken);
        }

        /** Refused when a statement broke, else passed. @param window how long statements were recorded, seconds */
        RehearsalResult result(int skipped, long window) {
            return broken.isEmpty() ? new RehearsalResult.Passed(prepared, unpreparable, skipped, window)
                    : new RehearsalResult.Refused(broken, prepared);
        }
    }

    /** The rehearsal itself failed on the database. @param holder whose transactions may hold the tables */
    static ChangesetFailedException couldNotRun(JdbcTarget target, SchemaPhase phase, String holder, SQLException e) {
        String lock = LockRetry.isLockTimeout(e)
                ? " (its lock_timeout expired: " + holder + "'s transactions held the table)" : "";
        return new ChangesetFailedException(phase.label() + " rehearsal on " + target.displayName() + " could not run"
                + lock + ": " + FailureText.cause(e) + "; nothing was changed", e);
    }

    /** Prepares before the changes (to set aside what never prepares), applies them, prepares again, rolls back. */
    static Found run(Connection c, Collection<String> recorded, int hidden, Changes changes, SchemaPhase phase)
            throws SQLException {
        c.setAutoCommit(false);
        List<String> candidates = new ArrayList<>();
        int unpreparable = hidden;
        int n = 0;
        for (String sql : recorded) {
            if (prepare(c, "botshift_before_" + (++n), sql) == null) {
                candidates.add(sql);
            } else {
                unpreparable++;
            }
        }
        String what = phase == SchemaPhase.EXPAND ? "expand" : "contract";
        try (Statement s = c.createStatement()) {
            for (String sql : changes.statements()) {
                try {
                    s.execute(sql);
                } catch (SQLException e) {
                    if (LockRetry.isLockTimeout(e)) {
                        throw e;
                    }
                    throw new ChangesetFailedException(what + " rehearsal: the " + what + " itself fails at `"
                            + shown(sql) + "` (SQLSTATE " + e.getSQLState() + "): " + FailureText.cause(e)
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
                broken.add(new RehearsalResult.Broken(shown(sql), error));
            }
        }
        c.rollback();
        return new Found(prepared, unpreparable, broken);
    }

    /** A statement as a refusal quotes it: on one line, its password literals hidden. */
    private static String shown(String sql) {
        return FailureText.oneLine(PasswordLiterals.hidden(sql));
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

    /** Rolls back whatever is open, drops every prepared statement and closes the session. */
    static void discard(Connection c) {
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

    /** The pending changesets of {@code phase}, in their plain form, reduced to what the rehearsal runs. */
    static Changes pending(JdbcTarget target, ChangelogSource source, SchemaPhase phase) {
        Connection c = target.open();
        try {
            Database db = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            return LiquibaseEnvironment.run(source, Map.of(), () -> {
                List<String> statements = new ArrayList<>();
                int skipped = 0;
                List<ChangeSet> pending = PendingChangeSets.of(source, phase, db, c).changeSets();
                for (ChangeSet cs : pending) {
                    for (Change change : cs.getChanges()) {
                        List<String> sql = ChangeSetPlanner.statements(change, cs, db);
                        if (sql == null) {
                            skipped++; // rendered only when it runs (loadData, volatile changes)
                            continue;
                        }
                        for (String s : sql) {
                            if (RehearsedForm.runs(s, phase)) {
                                statements.add(s);
                            } else {
                                skipped++; // changes no statement's validity (see RehearsedForm)
                            }
                        }
                    }
                }
                return new Changes(statements, skipped, pending.size());
            });
        } catch (BotshiftException e) {
            throw e;
        } catch (Exception e) {
            String what = phase == SchemaPhase.EXPAND ? "expand" : "contract";
            throw new ChangesetFailedException(what + " rehearsal: the " + what + " of " + source + " cannot be read: "
                    + FailureText.cause(e), e);
        } finally {
            JdbcTarget.closeQuietly(c);
        }
    }
}
