package dev.botshift.schema.liquibase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the bots' own database user ({@code database.app}) can use the app's tables, read as the migration user
 * before anything runs. The usual first-deployment mistake: the migration user creates the tables, and the bots'
 * user was given no rights on them (or none on the tables a release creates later), so every new version fails on
 * its first query and is rolled back with nothing in the history to say why. Warnings, never refusals: a changelog
 * may grant the rights itself.
 */
final class AppUserAccess {
    /** Liquibase's own tables: the bots never touch them. */
    private static final List<String> LIQUIBASE_TABLES = List.of("databasechangelog", "databasechangeloglock");
    private static final int NAMED = 5;
    private static final String HOW = " (docs/bot-contract.md#environment)";

    private AppUserAccess() {
    }

    /**
     * @param createsTables whether the changesets about to run create tables (they belong to the migration user, and
     *                      reach the bots' user only through its default privileges)
     */
    static List<String> problems(Connection c, String appUser, boolean createsTables) throws SQLException {
        String migrator;
        String schema;
        try (PreparedStatement ps = c.prepareStatement("SELECT current_user, current_schema()");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            migrator = rs.getString(1);
            schema = rs.getString(2);
        }
        if (appUser.equals(migrator) || schema == null) {
            return List.of();
        }
        Boolean superuser = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT rolsuper FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, appUser);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    superuser = rs.getBoolean(1);
                }
            }
        }
        if (superuser == null) {
            return List.of("database.app.username " + appUser + ": no such role in the database: the bots cannot"
                    + " connect (CREATE ROLE " + appUser + " LOGIN PASSWORD '…')" + HOW);
        }
        if (superuser) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        List<String> unreadable = unreadableTables(c, appUser, schema);
        if (!unreadable.isEmpty()) {
            problems.add("database.app " + appUser + " cannot read " + unreadable.size() + " table(s) of schema "
                    + schema + ": " + named(unreadable) + "; the bots fail on them (GRANT SELECT, INSERT, UPDATE,"
                    + " DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + appUser + ")" + HOW);
        }
        List<String> unusable = unusableSequences(c, appUser, schema);
        if (!unusable.isEmpty()) {
            problems.add("database.app " + appUser + " cannot use " + unusable.size() + " sequence(s) of schema "
                    + schema + ": " + named(unusable) + "; the bots' inserts that draw from them fail (GRANT USAGE,"
                    + " SELECT ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + appUser + ")" + HOW);
        }
        if (createsTables && !getsNewTables(c, appUser)) {
            problems.add("database.app " + appUser + " gets no rights on the tables " + migrator + " creates in schema "
                    + schema + ", and this release creates some: they will be out of the bots' reach unless the"
                    + " changelog grants them (ALTER DEFAULT PRIVILEGES FOR ROLE " + migrator + " IN SCHEMA " + schema
                    + " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + appUser + ")" + HOW);
        }
        return problems;
    }

    private static List<String> unreadableTables(Connection c, String appUser, String schema) throws SQLException {
        return relations(c, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT has_table_privilege(?, c.oid, 'SELECT')"
                + " ORDER BY c.relname", schema, appUser).stream()
                .filter(table -> !LIQUIBASE_TABLES.contains(table.toLowerCase(java.util.Locale.ROOT))).toList();
    }

    /** Sequences a {@code serial} column's default draws from; an identity column's needs no right of its own. */
    private static List<String> unusableSequences(Connection c, String appUser, String schema) throws SQLException {
        return relations(c, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind = 'S'"
                // in a CASE: PostgreSQL may test the privilege before the kind, and it refuses any other relation
                + " AND CASE WHEN c.relkind = 'S' THEN NOT has_sequence_privilege(?, c.oid, 'USAGE') ELSE false END"
                + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'i')"
                + " ORDER BY c.relname", schema, appUser);
    }

    /** The first column of {@code sql}'s rows, run with {@code schema} and {@code appUser} as its two parameters. */
    private static List<String> relations(Connection c, String sql, String schema, String appUser) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setString(2, appUser);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    /** Whether the migration user's default privileges give the bots' user (or PUBLIC, or a role it is in) SELECT. */
    private static boolean getsNewTables(Connection c, String appUser) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_default_acl d"
                + " CROSS JOIN LATERAL aclexplode(d.defaclacl) a WHERE d.defaclrole = (SELECT oid FROM pg_roles"
                + " WHERE rolname = current_user) AND d.defaclobjtype = 'r' AND (d.defaclnamespace = 0"
                + " OR d.defaclnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()))"
                + " AND a.privilege_type = 'SELECT' AND (a.grantee = 0 OR pg_has_role(?, a.grantee, 'MEMBER')))")) {
            ps.setString(1, appUser);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static String named(List<String> tables) {
        return String.join(", ", tables.subList(0, Math.min(NAMED, tables.size())))
                + (tables.size() > NAMED ? " and " + (tables.size() - NAMED) + " more" : "");
    }
}
