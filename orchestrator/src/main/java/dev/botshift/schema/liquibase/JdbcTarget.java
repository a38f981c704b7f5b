package dev.botshift.schema.liquibase;

import dev.botshift.core.InvalidInputException;
import dev.botshift.core.UnreachableException;
import dev.botshift.plan.DatabaseSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * Opens sessions on the plan's database, each with {@code lock_timeout} set, and names the database as
 * {@code host:port/db} in errors: never the URL (it may carry a password parameter) and never the password.
 */
final class JdbcTarget {
    static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMillis(500);
    /** PostgreSQL: wrong password; no such role or not allowed by pg_hba.conf. */
    private static final String INVALID_PASSWORD = "28P01";
    private static final String INVALID_AUTHORIZATION = "28000";

    private final DatabaseSpec spec;
    private final String displayName;

    JdbcTarget(DatabaseSpec spec) {
        if (spec.url() == null || !spec.url().startsWith("jdbc:postgresql:")) {
            throw new InvalidInputException("database.url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db)");
        }
        this.spec = spec;
        this.displayName = describe(spec.url());
    }

    String displayName() {
        return displayName;
    }

    Duration lockTimeout() {
        return spec.lockTimeout() == null ? DEFAULT_LOCK_TIMEOUT : spec.lockTimeout();
    }

    /** A new session with {@code SET lock_timeout} applied at session level, so every statement of the update obeys it. */
    Connection open() {
        Properties props = new Properties();
        if (spec.username() != null) {
            props.setProperty("user", spec.username());
        }
        if (spec.password() != null) {
            props.setProperty("password", spec.password());
        }
        Connection c;
        try {
            c = DriverManager.getConnection(spec.url(), props);
        } catch (SQLException e) {
            if (INVALID_PASSWORD.equals(e.getSQLState())) {
                // the server answered and refused the password: nothing about the network, everything about the value
                throw new UnreachableException("database " + displayName + ": password authentication failed for user "
                        + userName() + " (SQLSTATE 28P01): check database.password (the value of the variable"
                        + " it names, e.g. ${env:DB_PASSWORD})", null);
            }
            if (INVALID_AUTHORIZATION.equals(e.getSQLState())) {
                // the server answered: it is reachable, the credentials are wrong (the user is no secret; the password is)
                throw new UnreachableException("database " + displayName + ": authentication failed for user "
                        + userName() + " (SQLSTATE " + e.getSQLState() + "): check database.username and"
                        + " database.password", null);
            }
            throw new UnreachableException("database " + displayName + " cannot be reached (SQLSTATE "
                    + e.getSQLState() + ")", null);
        }
        try (Statement s = c.createStatement()) {
            s.execute("SET lock_timeout = " + lockTimeout().toMillis());
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw new UnreachableException("database " + displayName + ": cannot set lock_timeout (SQLSTATE "
                    + e.getSQLState() + ")", null);
        }
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // The session is gone either way; the server releases its locks.
        }
    }

    /** The user the session logs in as: the plan's, else the URL's {@code user} parameter. */
    private String userName() {
        if (spec.username() != null) {
            return spec.username();
        }
        Properties p = org.postgresql.Driver.parseURL(spec.url(), new Properties());
        return p == null ? "(none given)" : p.getProperty("user", System.getProperty("user.name"));
    }

    /** {@code host:port/db} from the URL, via the driver's own URL parser. */
    static String describe(String url) {
        Properties p = org.postgresql.Driver.parseURL(url, new Properties());
        if (p == null) {
            return "(unparseable JDBC URL)";
        }
        return p.getProperty("PGHOST", "localhost") + ":" + p.getProperty("PGPORT", "5432") + "/"
                + p.getProperty("PGDBNAME", "");
    }
}
