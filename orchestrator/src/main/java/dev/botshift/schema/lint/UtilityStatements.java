package dev.botshift.schema.lint;

import java.util.List;
import java.util.Set;

/**
 * PostgreSQL statements JSqlParser 5.3 cannot parse (or parses as "unsupported"), recognised by their leading
 * keywords: maintenance (VACUUM, CLUSTER, REINDEX, REFRESH, ANALYZE), LOCK, transaction control, privileges, and
 * the CREATE, ALTER and DROP forms of objects other than tables. Anything else is left to JSqlParser.
 */
final class UtilityStatements {
    private static final Set<String> TRANSACTION = Set.of("BEGIN", "START", "COMMIT", "END", "ROLLBACK", "SAVEPOINT",
            "RELEASE", "ABORT");
    private static final Set<String> BLOCKING_LOCK_MODES = Set.of("SHARE", "EXCLUSIVE", "ACCESS");
    private static final Set<String> ADDITIVE_OBJECTS = Set.of("EXTENSION", "STATISTICS", "TYPE", "DOMAIN",
            "SCHEMA", "COLLATION", "AGGREGATE", "OPERATOR", "CAST", "TEXT", "CONVERSION", "PUBLICATION");
    private static final Set<String> RENAMEABLE = Set.of("SCHEMA", "SEQUENCE", "VIEW", "MATERIALIZED", "INDEX",
            "FUNCTION", "PROCEDURE", "TYPE", "DOMAIN", "TRIGGER", "AGGREGATE", "COLLATION");

    private UtilityStatements() {
    }

    /** The effects, or null when the statement is not one of these forms. */
    static List<Effect> classify(Words w, String original) {
        String first = w.at(0);
        if (TRANSACTION.contains(first) && !w.is(1, "ATOMIC")) {
            return List.of(new Effect.TransactionControl(first));
        }
        return switch (first) {
            case "VACUUM" -> vacuum(w);
            case "CLUSTER" -> List.of(new Effect.Blocking(w.name(w.skip(1, "VERBOSE")), "CLUSTER", true, false));
            case "REINDEX" -> reindex(w);
            case "LOCK" -> lock(w);
            case "REFRESH" -> refresh(w);
            case "ANALYZE", "CHECKPOINT", "DISCARD", "RESET", "LISTEN", "NOTIFY", "GRANT", "SECURITY" ->
                    List.of(new Effect.Harmless(null, first));
            case "REVOKE" -> List.of(new Effect.DropObject(null, "privileges (REVOKE)"));
            case "CREATE" -> create(w);
            case "ALTER" -> alter(w, original);
            case "DROP" -> w.is(1, "DATABASE") ? List.of(new Effect.DropDatabase(w.name(w.skip(2, "IF", "EXISTS"))))
                    : null;
            default -> null;
        };
    }

    private static List<Effect> vacuum(Words w) {
        boolean full = w.is(1, "FULL") || w.is(1, "(") && w.indexOf("FULL", 1) >= 0
                && w.indexOf("FULL", 1) < w.indexOf(")", 1);
        int at = w.is(1, "(") ? w.indexOf(")", 1) + 1 : 1;
        while (Set.of("FULL", "FREEZE", "VERBOSE", "ANALYZE").contains(w.at(at))) {
            at++;
        }
        String table = w.name(at);
        return full ? List.of(new Effect.Blocking(table, "VACUUM FULL", true, true))
                : List.of(new Effect.Harmless(table, "VACUUM", true));
    }

    private static List<Effect> reindex(Words w) {
        int at = w.is(1, "(") ? w.indexOf(")", 1) + 1 : 1;
        String kind = w.at(at);
        boolean concurrently = w.is(at + 1, "CONCURRENTLY");
        String name = w.name(at + (concurrently ? 2 : 1));
        String table = kind.equals("TABLE") ? name : null;
        boolean wholeSchema = !kind.equals("TABLE") && !kind.equals("INDEX");
        if (concurrently) {
            return List.of(new Effect.Harmless(table, "REINDEX CONCURRENTLY", true));
        }
        return List.of(new Effect.Blocking(table, "REINDEX " + kind + " " + name + " without CONCURRENTLY", false,
                wholeSchema));
    }

    private static List<Effect> lock(Words w) {
        int at = w.skip(w.skip(1, "TABLE"), "ONLY");
        String table = w.name(at);
        int in = w.indexOf("IN", at);
        String mode = in < 0 ? "ACCESS EXCLUSIVE" : String.join(" ", w.tokens().subList(in + 1,
                Math.max(in + 1, w.indexOf("MODE", in)))).toUpperCase(java.util.Locale.ROOT);
        boolean blocking = in < 0 || BLOCKING_LOCK_MODES.contains(w.at(in + 1)) && !mode.equals("ACCESS SHARE")
                && !mode.equals("SHARE UPDATE EXCLUSIVE");
        return List.of(blocking ? new Effect.Blocking(table, "LOCK TABLE ... IN " + mode + " MODE", false, false)
                : new Effect.Harmless(table, "LOCK TABLE ... IN " + mode + " MODE"));
    }

    private static List<Effect> refresh(Words w) {
        int at = w.skip(w.skip(1, "MATERIALIZED", "VIEW"), "CONCURRENTLY");
        String view = w.name(at);
        return w.has("CONCURRENTLY") ? List.of(new Effect.Harmless(view, "REFRESH MATERIALIZED VIEW CONCURRENTLY"))
                : List.of(new Effect.Blocking(view, "REFRESH MATERIALIZED VIEW without CONCURRENTLY (blocks reads"
                + " of the view)", false, false));
    }

    private static List<Effect> create(Words w) {
        int at = w.skip(1, "OR", "REPLACE");
        if (ADDITIVE_OBJECTS.contains(w.at(at))) {
            return List.of(new Effect.Additive(null, w.at(at).toLowerCase(java.util.Locale.ROOT) + " "
                    + w.name(w.skip(w.skip(at + 1, "SEARCH"), "IF", "NOT", "EXISTS"))));
        }
        return null;
    }

    private static List<Effect> alter(Words w, String original) {
        String kind = w.at(1);
        if (kind.equals("TABLE")) {
            return null; // JSqlParser first; AlterTableClauses for what it leaves unread
        }
        if (kind.equals("DOMAIN") && w.is(w.afterName(2), "ADD")) {
            boolean notValid = w.is(w.size() - 2, "NOT", "VALID");
            return List.of(new Effect.AddConstraint(null, null, Effect.ConstraintKind.CHECK, !notValid, false));
        }
        if (!RENAMEABLE.contains(kind) && !kind.equals("EXTENSION")) {
            return null;
        }
        int nameAt = w.skip(kind.equals("MATERIALIZED") ? 3 : 2, "IF", "EXISTS");
        String name = w.name(nameAt);
        int rest = w.afterName(nameAt);
        if (w.is(rest, "(")) { // a function's argument list
            rest = w.indexOf(")", rest) + 1;
        }
        String what = kind.toLowerCase(java.util.Locale.ROOT) + " " + name;
        if (kind.equals("TYPE") && w.is(rest, "RENAME", "VALUE")) {
            return List.of(new Effect.RenameObject(null, "enum value " + w.tokens().get(Math.min(rest + 2, w.size() - 1))
                    + " of type " + name));
        }
        if (w.is(rest, "RENAME") || w.is(rest, "SET", "SCHEMA")) {
            return List.of(new Effect.RenameObject(null, what));
        }
        if (kind.equals("TYPE") && (w.is(rest, "ADD", "VALUE") || w.is(rest, "ADD", "ATTRIBUTE"))) {
            return List.of(new Effect.Additive(null, "value of " + what));
        }
        if (kind.equals("INDEX") && w.is(rest, "SET", "TABLESPACE")) {
            return List.of(new Effect.Blocking(null, "ALTER INDEX " + name + " SET TABLESPACE", true, false));
        }
        if (kind.equals("EXTENSION") || kind.equals("TYPE") || kind.equals("DOMAIN") && w.is(rest, "SET", "NOT")) {
            return List.of(new Effect.Unclassified(null, original, "ALTER " + kind + " " + w.from(rest)));
        }
        // sequences (RESTART, INCREMENT, OWNED BY...), views, indexes, functions: settings, ownership, defaults
        return List.of(new Effect.Harmless(null, "ALTER " + what + " " + w.at(rest)));
    }
}
