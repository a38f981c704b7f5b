package dev.botshift.schema.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.plan.DatabaseSpec;
import dev.botshift.schema.ApplyResult;
import dev.botshift.schema.DdlDeadlineExceededException;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** While a long transaction holds the table, the DDL waits outside the lock queue, so writers never queue behind it. */
@Slow
class PoliteLockWaitTest {
    private static final Duration LOCK_TIMEOUT = Duration.ofMillis(500);
    @RegisterExtension
    static final PgFixture.PerClass pg = PgFixture.perClass();

    private static LiquibaseSchemaMigrator migrator(String url, String changelog, List<String> progress,
                                                    Duration ddlDeadline) throws Exception {
        DatabaseSpec spec = new DatabaseSpec(url, "postgres", null, "unused", LOCK_TIMEOUT, ddlDeadline);
        return new LiquibaseSchemaMigrator(spec, PgFixture.resource(changelog), progress::add);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"plain ALTER through Liquibase, locks/next.yaml, EXPAND, l-busy-column",
            "lock-light steps, locks/light.yaml, CONTRACT, l-busy-not-null"})
    void writersNeverQueueBehindTheWaitingDdl(String path, String changelog, SchemaPhase phase, String changeSet)
            throws Exception {
        String url = pg.freshDatabase();
        List<String> progress = new CopyOnWriteArrayList<>();
        migrator(url, "locks/base.yaml", progress, Duration.ofSeconds(60)).apply(SchemaPhase.EXPAND);
        BusyWriter writer = new BusyWriter(url, 10);

        ApplyResult result;
        int blockerPid;
        try (Connection blocker = PgFixture.connect(url)) {
            blockerPid = holdAccessShare(blocker);
            Thread.sleep(300); // older than the polite threshold before the DDL even starts
            writer.start();
            CompletableFuture<ApplyResult> ddl = CompletableFuture.supplyAsync(() -> apply(url, changelog, phase, progress));
            PgFixture.await("the DDL waiting politely and 50 writes meanwhile", () -> writer.flowing()
                    && progress.stream().anyMatch(line -> line.contains("waiting without queueing")));
            assertThat(ddl).as("the DDL waits while the long transaction holds the table").isNotDone();
            blocker.commit();
            result = ddl.get(30, TimeUnit.SECONDS);
        } finally {
            writer.stop();
        }

        writer.assertKeptWriting(250);
        assertThat(result.applied()).containsExactly(changeSet);
        assertThat(result.lockRetries()).isZero();
        assertThat(progress).anyMatch(line -> line.contains("waiting without queueing") && line.contains("busy")
                && line.contains("pid " + blockerPid) && line.contains("AccessShareLock"));
        assertThat(progress).noneMatch(line -> line.contains("count(*)")); // never the holder's query text
    }

    @Test
    void aHolderThatNeverLetsGoEndsAtTheDeadlineNamingTheTable() throws Exception {
        String url = pg.freshDatabase();
        List<String> progress = new CopyOnWriteArrayList<>();
        migrator(url, "locks/base.yaml", progress, Duration.ofSeconds(60)).apply(SchemaPhase.EXPAND);
        try (Connection blocker = PgFixture.connect(url)) {
            int pid = holdAccessShare(blocker);
            Thread.sleep(300);
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> migrator(url, "locks/next.yaml", progress, Duration.ofMillis(1_500))
                    .apply(SchemaPhase.EXPAND))
                    .isInstanceOf(DdlDeadlineExceededException.class)
                    .hasMessageContaining("table busy")
                    .hasMessageContaining("pid " + pid)
                    .hasMessageContaining("ddlDeadline");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        }
        assertThat(PgFixture.columns(url, "busy")).doesNotContain("extra");
    }

    /** Opens a transaction holding ACCESS SHARE on busy (conflicts with ACCESS EXCLUSIVE); returns its pid. */
    private static int holdAccessShare(Connection blocker) throws SQLException {
        blocker.setAutoCommit(false);
        try (Statement s = blocker.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT pg_backend_pid(), count(*) FROM busy")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static ApplyResult apply(String url, String changelog, SchemaPhase phase, List<String> progress) {
        try {
            return migrator(url, changelog, progress, Duration.ofSeconds(60)).apply(phase);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aUserWhoCannotSeeOtherSessionsIsToldOnceWhatToGrant() throws Exception {
        String url = pg.freshDatabase();
        try (Connection admin = PgFixture.connect(url); Statement st = admin.createStatement()) {
            admin.setAutoCommit(true);
            st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'limited_migrator') THEN "
                    + "CREATE ROLE limited_migrator LOGIN; END IF; END $$");
            st.execute("CREATE TABLE IF NOT EXISTS watched (id int)");
        }
        List<String> progress = new CopyOnWriteArrayList<>();
        PoliteLockWait wait = new PoliteLockWait(progress::add, PoliteLockWait.DEFAULT_THRESHOLD);
        String limitedUrl = url.replace("user=postgres", "user=limited_migrator"); // the URL's user wins over an argument
        try (Connection limited = java.sql.DriverManager.getConnection(limitedUrl, "limited_migrator", "")) {
            try (Statement st = limited.createStatement(); ResultSet rs = st.executeQuery("SELECT current_user")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("limited_migrator");
            }
            List<LockTargets.Need> needs = List.of(new LockTargets.Need("watched", true));
            wait.await(limited, needs, java.time.Instant.now().plusSeconds(5), "expand: x");
            wait.await(limited, needs, java.time.Instant.now().plusSeconds(5), "expand: y");
        }
        try (Connection admin = PgFixture.connect(url)) {
            wait = new PoliteLockWait(progress::add, PoliteLockWait.DEFAULT_THRESHOLD);
            wait.await(admin, List.of(new LockTargets.Need("watched", true)), java.time.Instant.now().plusSeconds(5),
                    "expand: z");
        }

        assertThat(progress).hasSize(1);
        assertThat(progress.get(0)).startsWith("expand: x: note:").contains("GRANT pg_read_all_stats");
    }
}
