package dev.botshift.schema.liquibase;

import dev.botshift.plan.DatabaseSpec;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One embedded PostgreSQL per test class; a fresh database per test. */
final class PgFixture implements AutoCloseable {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private final EmbeddedPostgres pg;

    PgFixture() throws IOException {
        pg = EmbeddedPostgres.builder().start();
    }

    /** With {@code pg_stat_statements} loaded, as the embedded default runs it (the contract rehearsal reads it). */
    static PgFixture withStatementStats() throws IOException {
        return new PgFixture(EmbeddedPostgres.builder().setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .start());
    }

    private PgFixture(EmbeddedPostgres pg) {
        this.pg = pg;
    }

    /**
     * One server for a whole test class, started before its first test and stopped after its last:
     * {@code @RegisterExtension static final PgFixture.PerClass pg = PgFixture.perClass();}
     */
    static PerClass perClass() {
        return new PerClass(false);
    }

    /** As {@link #perClass()}, with {@code pg_stat_statements} loaded (what the rehearsals read). */
    static PerClass perClassWithStatementStats() {
        return new PerClass(true);
    }

    /** The class-wide server as a JUnit extension, so that no test class repeats the start and stop. */
    static final class PerClass implements BeforeAllCallback, AfterAllCallback {
        private final boolean statementStats;
        private PgFixture pg;

        private PerClass(boolean statementStats) {
            this.statementStats = statementStats;
        }

        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            pg = statementStats ? withStatementStats() : new PgFixture();
        }

        @Override
        public void afterAll(ExtensionContext context) throws IOException {
            pg.close();
        }

        /** Creates an empty database on the class's server and returns its JDBC URL. */
        String freshDatabase() throws SQLException {
            return pg.freshDatabase();
        }
    }

    /** Creates an empty database and returns its JDBC URL. */
    String freshDatabase() throws SQLException {
        String name = "t" + NEXT.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return pg.getJdbcUrl("postgres", name);
    }

    static DatabaseSpec spec(String url, Duration lockTimeout) {
        return new DatabaseSpec(url, "postgres", null, "unused", lockTimeout, Duration.ofSeconds(60));
    }

    static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, "postgres", null);
    }

    /** Runs {@code sql} as a bot's driver would: a server-side prepared statement with one bigint parameter. */
    static void runPrepared(String url, String sql, long parameter) throws SQLException {
        try (Connection c = connect(url); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, parameter);
            if (ps.execute()) {
                try (ResultSet rs = ps.getResultSet()) {
                    while (rs.next()) {
                        rs.getObject(1);
                    }
                }
            }
        }
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(PgFixture.class.getResource("/changelogs/" + name).toURI());
    }

    static Path sample(String name) {
        return Path.of(System.getProperty("botshift.repo"), "examples/sentiment-bot/db", name);
    }

    static List<String> strings(String url, String sql) throws SQLException {
        try (Connection c = connect(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    static List<String> appliedIds(String url) throws SQLException {
        if (strings(url, "SELECT to_regclass('databasechangelog')::text").get(0) == null) {
            return List.of();
        }
        return strings(url, "SELECT id FROM databasechangelog ORDER BY orderexecuted");
    }

    /** A condition a test waits for instead of sleeping: polled every 20 ms, at most 20 s. */
    interface Condition {
        boolean holds() throws Exception;
    }

    static void await(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    static List<String> columns(String url, String table) throws SQLException {
        return strings(url, "SELECT column_name FROM information_schema.columns WHERE table_name = '" + table
                + "' ORDER BY ordinal_position");
    }

    int port() {
        return pg.getPort();
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
