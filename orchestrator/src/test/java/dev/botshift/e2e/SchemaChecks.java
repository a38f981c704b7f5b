package dev.botshift.e2e;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the database says about the migrations: the changelog table, the Liquibase lock, a changeset in progress. */
final class SchemaChecks {
    private SchemaChecks() {
    }

    /** Ids of the changesets recorded in DATABASECHANGELOG, once per row (a changeset applied twice shows twice). */
    static List<String> recordedIds(Map<String, String> db) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = Pg.connect(db); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT id FROM databasechangelog ORDER BY orderexecuted")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    /** Rows of DATABASECHANGELOGLOCK with LOCKED = true; none if Liquibase's table lock is not used at all. */
    static int heldLiquibaseLocks(Map<String, String> db) throws SQLException {
        try (Connection c = Pg.connect(db)) {
            if (!tableExists(c, "databasechangeloglock")) {
                return 0;
            }
            try (Statement s = c.createStatement();
                 ResultSet rows = s.executeQuery("SELECT count(*) FROM databasechangeloglock WHERE locked")) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** True while a session (of any client but this one) runs one of the slow {@code pg_sleep} changesets. */
    static boolean slowChangesetRunning(Map<String, String> db) throws SQLException {
        try (Connection c = Pg.connect(db); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                     + " AND query ILIKE '%pg_sleep%' AND pid <> pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1) > 0;
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        try (ResultSet rows = meta.getTables(null, null, table, new String[] {"TABLE"})) {
            return rows.next();
        }
    }
}
