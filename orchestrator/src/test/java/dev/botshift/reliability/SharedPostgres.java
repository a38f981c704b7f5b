package dev.botshift.reliability;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** One real embedded PostgreSQL for the reliability tests of this JVM; each test takes its own database. */
final class SharedPostgres {
    private static EmbeddedPostgres pg;

    private SharedPostgres() {
    }

    static synchronized int port() {
        if (pg == null) {
            try {
                pg = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedPostgres started = pg;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return pg.getPort();
    }

    /** Creates (once) and returns the JDBC URL of database {@code name}. */
    static synchronized String database(String name) {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return url(name);
    }

    static String url(String name) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + name;
    }

    static Connection connect(String name) throws SQLException {
        return DriverManager.getConnection(url(name), "postgres", "");
    }

    /**
     * What a rollout could have changed in a database: every user table and every recorded changeset.
     */
    static List<String> schemaSnapshot(String name) {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect(name); Statement s = c.createStatement()) {
            ResultSet tables = s.executeQuery("SELECT table_schema || '.' || table_name || ':' || column_name "
                    + "FROM information_schema.columns WHERE table_schema NOT IN ('pg_catalog', 'information_schema') "
                    + "ORDER BY 1");
            while (tables.next()) {
                rows.add(tables.getString(1));
            }
            ResultSet exists = s.executeQuery("SELECT to_regclass('public.databasechangelog') IS NOT NULL");
            exists.next();
            if (exists.getBoolean(1)) {
                ResultSet cs = s.executeQuery("SELECT id || '@' || author FROM databasechangelog ORDER BY orderexecuted");
                while (cs.next()) {
                    rows.add("changeset " + cs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }
}
