package dev.botshift.e2e;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/** One embedded PostgreSQL in the test JVM; each rig gets its own database in it, so rigs never see each other. */
final class Pg implements AutoCloseable {
    static final String USER = "postgres";
    /** Embedded PostgreSQL trusts local users; a password is still passed, as a real plan would. */
    static final String PASSWORD = "e2e-not-a-secret";

    private final EmbeddedPostgres postgres;
    private int databases;

    private Pg(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** A server like the embedded default's: pg_stat_statements loaded, so the contract rehearsal runs. */
    static Pg start() {
        return start(true);
    }

    /** A server like many managed ones: without pg_stat_statements, so the contract rehearsal is skipped. */
    static Pg withoutStatementStats() {
        return start(false);
    }

    private static Pg start(boolean statementStats) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (statementStats) {
                builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
            }
            return new Pg(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    /** Creates a fresh database and returns the environment a plan reads it from. */
    synchronized Map<String, String> newDatabase() {
        String name = "e2e_" + (++databases);
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return Map.of("DB_URL", url(name), "DB_USER", USER, "DB_PASSWORD", PASSWORD);
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database;
    }

    static Connection connect(Map<String, String> env) throws SQLException {
        return DriverManager.getConnection(env.get("DB_URL"), env.get("DB_USER"), env.get("DB_PASSWORD"));
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
