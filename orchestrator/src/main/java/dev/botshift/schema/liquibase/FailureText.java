package dev.botshift.schema.liquibase;

import dev.botshift.core.Causes;
import java.sql.SQLException;

/**
 * The cause of a failed schema run in one line: the database's own message (PostgreSQL's detail lines joined), and
 * a lost connection (the database stopped or restarted, the session was terminated) said as such, since the next
 * step is to resume once the database is back rather than to fix the changeset.
 */
final class FailureText {
    private FailureText() {
    }

    static String cause(Throwable failure) {
        SQLException sql = deepestSql(failure);
        if (sql != null && sql.getSQLState() != null && isConnectionLoss(sql.getSQLState())) {
            return "the database connection was lost (SQLSTATE " + sql.getSQLState() + ": " + oneLine(sql.getMessage())
                    + "); run resume once the database is back";
        }
        return oneLine(Causes.rootMessage(failure));
    }

    /** Class 08 (connection exception) and 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now). */
    private static boolean isConnectionLoss(String state) {
        return state.startsWith("08") || state.startsWith("57P");
    }

    private static SQLException deepestSql(Throwable failure) {
        SQLException found = null;
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException s) {
                found = s;
            }
        }
        return found;
    }

    static String oneLine(String text) {
        return text == null ? "" : String.join(" ", text.strip().split("\\s*\\R\\s*"));
    }
}
