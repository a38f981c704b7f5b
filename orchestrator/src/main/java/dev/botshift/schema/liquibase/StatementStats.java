package dev.botshift.schema.liquibase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@code pg_stat_statements} knows about the statements run on the plan's database: calls per normalized
 * statement, constants already replaced by {@code $n}. The view has no {@code application_name}, only (user,
 * database, queryid); statements are attributed by when their calls grew (see {@link PgContractRehearsal}).
 */
final class StatementStats {
    /** Statements PREPARE takes; everything else (DDL, SET, BEGIN, COPY…) is not rehearsed. */
    private static final Pattern PREPARABLE = Pattern.compile("^\\s*(select|insert|update|delete|with|values|merge|table)\\b",
            Pattern.CASE_INSENSITIVE);
    /** Botshift's own reads (this view, Liquibase's history and lock tables) are not green's. */
    private static final Pattern OWN = Pattern.compile("pg_stat_statements|databasechangelog", Pattern.CASE_INSENSITIVE);

    private StatementStats() {
    }

    /** Why the rehearsals cannot run on {@code target}'s database, or empty when they can; read-only. */
    static Optional<String> unavailable(JdbcTarget target) {
        Connection c = target.open();
        try {
            return unavailable(c, false);
        } catch (SQLException e) {
            return Optional.of("pg_stat_statements cannot be checked (SQLSTATE " + e.getSQLState() + ")");
        } finally {
            JdbcTarget.closeQuietly(c);
        }
    }

    /**
     * Why statements cannot be read here, or empty. With {@code create}, creates the extension when its library is
     * loaded but the extension is not yet created in this database (the embedded default); without, changes nothing
     * ({@code botshift plan}). Never loads anything itself.
     */
    static Optional<String> unavailable(Connection c, boolean create) throws SQLException {
        String preload = one(c, "SELECT current_setting('shared_preload_libraries', true)");
        if (preload == null || !preload.toLowerCase(Locale.ROOT).contains("pg_stat_statements")) {
            return Optional.of("pg_stat_statements is not loaded on this server (shared_preload_libraries = '"
                    + (preload == null ? "" : preload) + "'); managed databases usually offer it as a parameter");
        }
        if (one(c, "SELECT extname FROM pg_extension WHERE extname = 'pg_stat_statements'") == null) {
            if (!create) {
                return Optional.empty(); // loaded: the recording creates the extension when it starts
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            } catch (SQLException e) {
                return Optional.of("the pg_stat_statements extension is not created in this database and this user "
                        + "may not create it (SQLSTATE " + e.getSQLState() + "): CREATE EXTENSION pg_stat_statements");
            }
        }
        try {
            one(c, "SELECT count(*) FROM pg_stat_statements");
        } catch (SQLException e) {
            return Optional.of("pg_stat_statements cannot be read (SQLSTATE " + e.getSQLState() + "): "
                    + FailureText.cause(e));
        }
        return Optional.empty();
    }

    /** Calls per queryid on the current database, summed over users. */
    static Map<Long, Long> calls(Connection c) throws SQLException {
        Map<Long, Long> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT queryid, sum(calls)::bigint FROM pg_stat_statements "
                        + "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                        + "AND queryid IS NOT NULL GROUP BY queryid")) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return out;
    }

    /**
     * The preparable statements whose calls grew since {@code before}, text per queryid, excluding Botshift's own.
     * Texts hidden from this user ({@code <insufficient privilege>}) are counted in {@code hidden}.
     */
    static Grown grownSince(Connection c, Map<Long, Long> before) throws SQLException {
        Map<Long, String> texts = new LinkedHashMap<>();
        int hidden = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT queryid, sum(calls)::bigint, min(query) FROM pg_stat_statements "
                        + "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                        + "AND queryid IS NOT NULL GROUP BY queryid ORDER BY queryid")) {
            while (rs.next()) {
                long id = rs.getLong(1);
                if (rs.getLong(2) <= before.getOrDefault(id, 0L)) {
                    continue;
                }
                String text = rs.getString(3);
                if (text == null || text.startsWith("<insufficient privilege>")) {
                    hidden++;
                } else if (PREPARABLE.matcher(text).find() && !OWN.matcher(text).find()) {
                    texts.put(id, withoutSemicolon(text));
                }
            }
        }
        return new Grown(texts, hidden);
    }

    /** Every preparable statement on record for the current database (as {@link #grownSince}, from nothing). */
    static Grown recorded(Connection c) throws SQLException {
        return grownSince(c, Map.of());
    }

    /**
     * How long pg_stat_statements has been collecting, in seconds (since its last reset, PostgreSQL 14 and later), or
     * -1 when the server does not say.
     */
    static long collectingSeconds(Connection c) throws SQLException {
        java.sql.Savepoint sp = c.getAutoCommit() ? null : c.setSavepoint();
        try {
            String s = one(c, "SELECT extract(epoch FROM now() - stats_reset)::bigint FROM pg_stat_statements_info");
            return s == null ? -1 : Long.parseLong(s);
        } catch (SQLException | NumberFormatException e) {
            if (sp != null) {
                c.rollback(sp);
            }
            return -1; // before PostgreSQL 14 the view has no reset time
        }
    }

    /** @param hidden statements that grew but whose text this user may not read */
    record Grown(Map<Long, String> texts, int hidden) {
    }

    private static String withoutSemicolon(String sql) {
        String s = sql.strip();
        return s.endsWith(";") ? s.substring(0, s.length() - 1).strip() : s;
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
