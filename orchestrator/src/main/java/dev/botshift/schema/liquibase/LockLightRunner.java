package dev.botshift.schema.liquibase;

import dev.botshift.schema.ChangesetFailedException;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.schema.lightlock.Step;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import liquibase.Scope;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.exception.LiquibaseException;

/**
 * Runs one changeset's lock-light steps on a session with {@code lock_timeout}, outside any transaction (the
 * {@code CONCURRENTLY} forms require it), each step retried on its own after a lock timeout with the same jittered
 * backoff as a plain update; then records the changeset in DATABASECHANGELOG exactly as Liquibase would (same
 * checksum), so a later plain Liquibase run sees it as applied. The advisory lock is held throughout. Before each
 * attempt, {@link PoliteLockWait} keeps the step out of the lock queue while a long transaction holds its table.
 */
final class LockLightRunner {
    private final JdbcTarget target;
    private final Consumer<String> progress;
    private final PoliteLockWait politeWait;

    LockLightRunner(JdbcTarget target, Consumer<String> progress, PoliteLockWait politeWait) {
        this.target = target;
        this.progress = progress;
        this.politeWait = politeWait;
    }

    /** Returns how many lock timeouts were retried. */
    int run(SchemaPhase phase, ChangeSet changeSet, List<Step> steps, Database database, Connection c,
            Instant deadline) {
        String name = changeSet.getFilePath() + "::" + changeSet.getId();
        AdvisoryLockService lock = new AdvisoryLockService();
        lock.setDatabase(database);
        int retries = 0;
        try {
            lock.waitForLock();
            c.setAutoCommit(true);
            for (Step step : steps) {
                retries += runWithRetry(phase, name, step, c, deadline);
            }
            c.setAutoCommit(false);
            Scope.getCurrentScope().getSingleton(ChangeLogHistoryServiceFactory.class).getChangeLogService(database)
                    .init();
            database.markChangeSetExecStatus(changeSet, ChangeSet.ExecType.EXECUTED);
            database.commit();
            progress.accept(phase.label() + ": applied " + name + " (lock-light, " + steps.size() + " statements)");
            return retries;
        } catch (LiquibaseException | SQLException e) {
            throw new ChangesetFailedException(phase.label() + " on " + target.displayName() + " failed at changeset "
                    + name + " while recording it: " + FailureText.cause(e), e);
        } finally {
            try {
                lock.releaseLock();
            } catch (LiquibaseException ignored) {
                // The session closes next, which releases the advisory lock anyway.
            }
        }
    }

    private int runWithRetry(SchemaPhase phase, String name, Step step, Connection c, Instant deadline) {
        List<LockTargets.Need> needs = step instanceof Step.Run run ? LockTargets.of(run.sql()) : List.of();
        LockRetry.Loop loop = new LockRetry.Loop(phase.label(), "`" + step.display() + "`", name, target, deadline,
                progress);
        return LockRetry.untilDeadline(loop, 0,
                () -> politeWait.await(c, needs, deadline, phase.label() + ": " + name),
                () -> execute(step, c),
                e -> new ChangesetFailedException(phase.label() + " on " + target.displayName()
                        + " failed at changeset " + name + ", statement `" + step.display() + "`"
                        + (e instanceof SQLException sql ? " (SQLSTATE " + sql.getSQLState() + ")" : "") + ": "
                        + FailureText.cause(e) + "; the statements before it stay applied and are safe to run again", e));
    }

    private static void execute(Step step, Connection c) throws SQLException {
        if (step instanceof Step.Run run) {
            try (Statement s = c.createStatement()) {
                s.execute(run.sql());
            }
        } else if (step instanceof Step.DropIndexIfInvalid drop && isInvalid(drop.index(), c)) {
            try (Statement s = c.createStatement()) {
                s.execute(drop.dropSql());
            }
        }
    }

    private static boolean isInvalid(String index, Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT NOT i.indisvalid FROM pg_index i WHERE i.indexrelid = to_regclass(?)")) {
            ps.setString(1, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

}
