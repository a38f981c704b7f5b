package dev.botshift.schema.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.schema.ApplyResult;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.testing.Slow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sample bot's v1 -> v2 release on a real PostgreSQL: expand under live v1 writes, then contract. */
@Slow
class ExpandContractTest {
    private static final String V1_INSERT = "INSERT INTO user_interactions (update_id, chat_id, user_id, message_text,"
            + " bot_version) VALUES (?,?,?,?,?) ON CONFLICT (update_id) DO NOTHING";
    private static final String V2_INSERT = "INSERT INTO user_interactions (update_id, chat_id, user_id, message_text,"
            + " bot_version, sentiment_score, detailed_log) VALUES (?,?,?,?,?,?,?::jsonb) ON CONFLICT (update_id) DO NOTHING";
    private static final AtomicLong UPDATE_IDS = new AtomicLong();
    @RegisterExtension
    static final PgFixture.PerClass pg = PgFixture.perClass();
    private final List<String> progress = new CopyOnWriteArrayList<>();

    private LiquibaseSchemaMigrator migrator(String url, String changelog) {
        return new LiquibaseSchemaMigrator(PgFixture.spec(url, Duration.ofMillis(500)), PgFixture.sample(changelog),
                progress::add);
    }

    @Test
    void expandRunsWhileV1KeepsWritingWithoutAFailedWrite() throws Exception {
        String url = pg.freshDatabase();
        assertThat(migrator(url, "changelog-v1.yaml").apply(SchemaPhase.EXPAND).applied())
                .containsExactly("v1-001-user-interactions");

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Thread v1 = new Thread(() -> {
            try (Connection c = PgFixture.connect(url)) {
                while (running.get()) {
                    try {
                        insertV1(c);
                        written.incrementAndGet();
                    } catch (SQLException e) {
                        failures.add(e);
                    }
                }
            } catch (SQLException e) {
                failures.add(e);
            }
        });
        v1.start();
        waitUntil(() -> written.get() > 20);
        ApplyResult result = migrator(url, "changelog-v2.yaml").apply(SchemaPhase.EXPAND);
        int atExpandEnd = written.get();
        waitUntil(() -> written.get() > atExpandEnd + 20);
        running.set(false);
        v1.join();

        assertThat(failures).isEmpty();
        assertThat(result.applied()).containsExactly("v2-001-sentiment-columns", "v2-002-daily-summary");
        assertThat(progress).anyMatch(line -> line.contains("v2-001-sentiment-columns"));
        try (Connection c = PgFixture.connect(url)) {
            insertV1(c);
            insertV2(c);
        }
        assertThat(PgFixture.columns(url, "user_interactions")).contains("sentiment_score", "detailed_log");
    }

    @Test
    void contractAfterV1StoppedAppliesOnceAndThenNothing() throws Exception {
        String url = pg.freshDatabase();
        migrator(url, "changelog-v1.yaml").apply(SchemaPhase.EXPAND);
        try (Connection c = PgFixture.connect(url)) {
            insertV1(c);
        }
        LiquibaseSchemaMigrator v2 = migrator(url, "changelog-v2.yaml");
        v2.apply(SchemaPhase.EXPAND);
        try (Connection c = PgFixture.connect(url)) {
            insertV1(c);
            insertV2(c);
        }

        ApplyResult contract = v2.apply(SchemaPhase.CONTRACT);

        assertThat(contract.applied()).containsExactly("v2-003-backfill", "v2-004-not-null");
        try (Connection c = PgFixture.connect(url)) {
            insertV2(c);
        }
        assertThat(PgFixture.appliedIds(url)).containsExactly("v1-001-user-interactions", "v2-001-sentiment-columns",
                "v2-002-daily-summary", "v2-003-backfill", "v2-004-not-null");
        assertThat(PgFixture.strings(url, "SELECT count(*) FROM user_interactions WHERE sentiment_score IS NULL"))
                .containsExactly("0");
        assertThat(v2.apply(SchemaPhase.CONTRACT).applied()).isEmpty();
        assertThat(v2.apply(SchemaPhase.EXPAND).applied()).isEmpty();
        assertThat(PgFixture.appliedIds(url)).hasSize(5);
        // The advisory lock service replaced Liquibase's lock table: it was never created.
        assertThat(PgFixture.strings(url, "SELECT to_regclass('databasechangeloglock')::text"))
                .containsExactly((String) null);
    }

    @Test
    void contractBackfillsInBatchesAndResumesAfterARowLockTimeout() throws Exception {
        String url = pg.freshDatabase();
        migrator(url, "changelog-v1.yaml").apply(SchemaPhase.EXPAND);
        try (Connection c = PgFixture.connect(url); var s = c.createStatement()) {
            s.execute("INSERT INTO user_interactions (update_id, chat_id, user_id, message_text, bot_version)"
                    + " SELECT 1000000 + g, g % 7, 42, 'bulk ' || g, '1.0.0' FROM generate_series(1, 12000) g");
        }
        LiquibaseSchemaMigrator v2 = migrator(url, "changelog-v2.yaml");
        v2.apply(SchemaPhase.EXPAND);

        ApplyResult contract;
        try (Connection live = PgFixture.connect(url)) {
            // A live update holding the lock of a row in the second batch: that batch hits lock_timeout, the first
            // stays committed, and the retried changeset resumes with the rows still NULL.
            live.setAutoCommit(false);
            try (var s = live.createStatement()) {
                s.execute("SELECT id FROM user_interactions WHERE id = 7000 FOR UPDATE");
            }
            // the row lock goes once the batch has timed out on it (a fixed delay was too short on a busy machine:
            // the batch reached the row after the commit and nothing was retried)
            Thread release = new Thread(() -> {
                try {
                    PgFixture.await("the contract's batch retried after a lock_timeout", () -> progress.stream()
                            .anyMatch(line -> line.contains("lock_timeout") && line.contains("retry 1")));
                } catch (Exception | AssertionError e) {
                    // commit anyway: the assertions below then say what went wrong instead of a hang
                } finally {
                    try {
                        live.commit();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            release.start();
            contract = v2.apply(SchemaPhase.CONTRACT);
            release.join();
        }

        assertThat(contract.applied()).containsExactly("v2-003-backfill", "v2-004-not-null");
        assertThat(contract.lockRetries()).isPositive();
        assertThat(PgFixture.strings(url, "SELECT count(*) FROM user_interactions"
                + " WHERE sentiment_score IS NULL OR detailed_log IS NULL")).containsExactly("0");
        assertThat(PgFixture.strings(url, "SELECT count(DISTINCT xmin::text) FROM user_interactions"))
                .as("one transaction per 5,000-row batch").containsExactly("3");
        assertThat(PgFixture.strings(url, "SELECT attname || '=' || attnotnull FROM pg_attribute WHERE attrelid ="
                + " 'user_interactions'::regclass AND attname IN ('sentiment_score', 'detailed_log') ORDER BY 1"))
                .containsExactly("detailed_log=true", "sentiment_score=true");
        try (Connection c = PgFixture.connect(url)) {
            assertThatThrownBy(() -> insertV1(c)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23502"));
        }
    }

    private static void insertV1(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(V1_INSERT)) {
            setInteraction(ps, "hello ", "1.0.0");
            ps.executeUpdate();
        }
    }

    private static void insertV2(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(V2_INSERT)) {
            setInteraction(ps, "great ", "2.0.0");
            ps.setBigDecimal(6, new java.math.BigDecimal("0.750"));
            ps.setString(7, "{\"model\":\"lexicon\"}");
            ps.executeUpdate();
        }
    }

    /** The five columns v1 and v2 both write: a fresh update id, its chat, a user, the text and the bot version. */
    private static void setInteraction(PreparedStatement ps, String text, String botVersion) throws SQLException {
        long id = UPDATE_IDS.incrementAndGet();
        ps.setLong(1, id);
        ps.setLong(2, id % 7);
        ps.setLong(3, 42);
        ps.setString(4, text + id);
        ps.setString(5, botVersion);
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within 10s");
            }
            Thread.sleep(10);
        }
    }
}
