package dev.botshift.schema.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.schema.ChangelogSource;
import dev.botshift.schema.ChangesetFailedException;
import dev.botshift.schema.SchemaPhase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The engine reads a changelog as the linter does (a phases file's labels drive the label filter, parameters fill
 * the changelog), and a database that drops the connection mid-contract is one clear line, with no Liquibase log.
 */
class ChangelogSourceEngineTest {
    @RegisterExtension
    static final PgFixture.PerClass pg = PgFixture.perClass();

    @Test
    void aLegacyChangelogRunsInThePhasesItsPhasesFileGives() throws Exception {
        String url = pg.freshDatabase();
        ChangelogSource source = new ChangelogSource(PgFixture.resource("engine/legacy.xml"), List.of(), List.of(),
                Map.of("prefix", "app_"), PgFixture.resource("engine/legacy-phases.yaml"));
        LiquibaseSchemaMigrator m = new LiquibaseSchemaMigrator(PgFixture.spec(url, Duration.ofMillis(500)), source,
                line -> { });

        assertThat(m.apply(SchemaPhase.EXPAND).applied()).containsExactly("1.0-table", "1.1-new-name");
        assertThat(PgFixture.columns(url, "app_person")).containsExactly("id", "old_name", "name");
        assertThat(m.previewSql(SchemaPhase.CONTRACT)).contains("2.0-drop-old-name").contains("app_person");

        assertThat(m.apply(SchemaPhase.CONTRACT).applied()).containsExactly("2.0-drop-old-name");
        assertThat(PgFixture.columns(url, "app_person")).containsExactly("id", "name");
        assertThat(m.apply(SchemaPhase.EXPAND).applied()).as("idempotent").isEmpty();
    }

    @Test
    void aConnectionLostMidContractIsOneLineAndNoLiquibaseLog() throws Exception {
        String url = pg.freshDatabase();
        LiquibaseSchemaMigrator m = new LiquibaseSchemaMigrator(PgFixture.spec(url, Duration.ofMillis(500)),
                PgFixture.resource("engine/slow-contract.sql"), line -> { });
        m.apply(SchemaPhase.EXPAND);
        List<LogRecord> liquibaseLog = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLoggerName() != null && r.getLoggerName().startsWith("liquibase")) {
                    liquibaseLog.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        ExecutorService contract = Executors.newSingleThreadExecutor();
        try {
            Future<?> running = contract.submit(() -> m.apply(SchemaPhase.CONTRACT));
            terminateTheSessionRunning(url, "pg_sleep");
            assertThatThrownBy(running::get).cause().isInstanceOf(ChangesetFailedException.class)
                    .satisfies(e -> assertThat(e.getMessage())
                            .contains("slow-contract")
                            .contains("the database connection was lost")
                            .contains("SQLSTATE 57P01")
                            .doesNotContain("\n"));
        } finally {
            contract.shutdownNow();
            root.removeHandler(capture);
        }
        assertThat(liquibaseLog).as("Liquibase log records (stderr)").isEmpty();
    }

    /** Polls pg_stat_activity until a session runs {@code query}, then terminates it. */
    private static void terminateTheSessionRunning(String url, String query) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        try (Connection c = PgFixture.connect(url); Statement s = c.createStatement()) {
            while (Instant.now().isBefore(deadline)) {
                try (ResultSet rs = s.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query"
                        + " LIKE '%" + query + "%' AND pid <> pg_backend_pid() AND state = 'active'")) {
                    if (rs.next()) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("no session ran " + query);
    }
}
