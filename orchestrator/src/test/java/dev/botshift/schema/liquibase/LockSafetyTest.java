package dev.botshift.schema.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.schema.ApplyResult;
import dev.botshift.schema.ChangelogSource;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.testing.Slow;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** lock_timeout + retry keeps writers flowing behind a blocked DDL; a dead run's lock does not block the next one. */
@Slow
class LockSafetyTest {
    private static final Duration LOCK_TIMEOUT = Duration.ofMillis(300);
    @RegisterExtension
    static final PgFixture.PerClass pg = PgFixture.perClass();

    private static LiquibaseSchemaMigrator migrator(String url, String changelog, List<String> progress)
            throws Exception {
        return new LiquibaseSchemaMigrator(PgFixture.spec(url, LOCK_TIMEOUT), PgFixture.resource(changelog),
                progress::add);
    }

    /** The polite wait ignores every transaction younger than a day: only lock_timeout + retry protect writers. */
    private static LiquibaseSchemaMigrator withoutPoliteWait(String url, String changelog, List<String> progress)
            throws Exception {
        return new LiquibaseSchemaMigrator(PgFixture.spec(url, LOCK_TIMEOUT),
                ChangelogSource.of(PgFixture.resource(changelog)), progress::add, Duration.ofDays(1));
    }

    @Test
    void lockTimeoutAloneKeepsWritersFlowingBehindABlockedDdl() throws Exception {
        String url = pg.freshDatabase();
        List<String> progress = new CopyOnWriteArrayList<>();
        migrator(url, "locks/base.yaml", progress).apply(SchemaPhase.EXPAND);

        BusyWriter writer = new BusyWriter(url, 5);

        ApplyResult result;
        try (Connection blocker = PgFixture.connect(url)) {
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM busy")) {
                rs.next(); // ACCESS SHARE held until commit: conflicts with ALTER TABLE's ACCESS EXCLUSIVE.
            }
            writer.start();
            CompletableFuture<ApplyResult> ddl = CompletableFuture.supplyAsync(() -> {
                try {
                    return withoutPoliteWait(url, "locks/next.yaml", progress).apply(SchemaPhase.EXPAND);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // the DDL queued for the lock, timed out and retried while the writer kept writing; the blocker commits
            // only after a retry: committing while the first attempt still waits would let it through untried
            PgFixture.await("the DDL retrying busy's lock after a lock_timeout, and 50 writes meanwhile",
                    () -> writer.flowing() && progress.stream().anyMatch(
                            line -> line.contains("lock_timeout") && line.contains("retry 1")));
            assertThat(ddl).isNotDone();
            blocker.commit();
            result = ddl.get(30, TimeUnit.SECONDS);
        } finally {
            writer.stop();
        }

        writer.assertKeptWriting(LOCK_TIMEOUT.toMillis() + 1_000);
        assertThat(result.applied()).containsExactly("l-busy-column");
        assertThat(result.lockRetries()).isPositive();
        assertThat(progress).anyMatch(line -> line.contains("lock_timeout") && line.contains("retry 1"));
        assertThat(PgFixture.columns(url, "busy")).contains("extra");
    }

    @Test
    void aRunThatDiedHoldingTheLockDoesNotBlockTheNextOne() throws Exception {
        String url = pg.freshDatabase();
        Connection crashed = PgFixture.connect(url);
        int pid;
        try (Statement s = crashed.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + AdvisoryLockService.LOCK_KEY + ")");
            // What a crashed run of Liquibase's standard lock service leaves behind: must be irrelevant to us.
            s.execute("CREATE TABLE databasechangeloglock (id INT PRIMARY KEY, locked BOOLEAN NOT NULL,"
                    + " lockgranted TIMESTAMP, lockedby VARCHAR(255))");
            s.execute("INSERT INTO databasechangeloglock VALUES (1, TRUE, now(), 'crashed-host')");
            try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
        }
        assertThat(tryLockFromAnotherSession(url)).as("the lock is held while the session lives").isFalse();

        try (Connection admin = PgFixture.connect(url); Statement s = admin.createStatement()) {
            s.execute("SELECT pg_terminate_backend(" + pid + ")"); // the process dies without releasing anything
        }
        crashed.close();

        long t0 = System.nanoTime();
        ApplyResult result = migrator(url, "locks/base.yaml", new CopyOnWriteArrayList<>()).apply(SchemaPhase.EXPAND);
        assertThat(result.applied()).containsExactly("l-busy-table");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        assertThat(tryLockFromAnotherSession(url)).as("released after the run").isTrue();
    }

    private static boolean tryLockFromAnotherSession(String url) throws SQLException {
        try (Connection c = PgFixture.connect(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + AdvisoryLockService.LOCK_KEY + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
