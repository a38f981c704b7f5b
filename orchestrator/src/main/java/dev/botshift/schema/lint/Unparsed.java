package dev.botshift.schema.lint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Statements JSqlParser cannot parse, read as far as their leading tokens are unambiguous: which table a
 * {@code CREATE TABLE} or {@code ALTER TABLE} is about (so statements on a table created in the same changelog file
 * are exempt like parsed ones), an index build or drop, a drop. The rest stays unclassified.
 */
final class Unparsed {
    private static final Set<String> TABLE_CONSTRAINTS = Set.of("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN",
            "EXCLUDE", "LIKE");

    private Unparsed() {
    }

    static List<Effect> classify(Words w, String statement) {
        String why = "JSqlParser cannot parse it";
        if (w == null || w.size() == 0) {
            return List.of(new Effect.Unclassified(null, statement, why));
        }
        if (w.startsWith("ALTER", "TABLE")) {
            List<Effect> clauses = AlterTableClauses.statement(w, statement);
            if (clauses != null) {
                return clauses;
            }
        }
        int at = w.skip(w.skip(w.skip(1, "GLOBAL"), "LOCAL"), "UNLOGGED");
        at = w.skip(w.skip(at, "TEMPORARY"), "TEMP");
        if (w.at(0).equals("CREATE") && w.is(at, "TABLE")) {
            int name = w.skip(at + 1, "IF", "NOT", "EXISTS");
            String table = w.name(name);
            if (table != null) {
                return List.of(new Effect.CreateTable(table, columnTypes(w.from(w.afterName(name)))));
            }
        }
        if (w.startsWith("CREATE", "INDEX") || w.startsWith("CREATE", "UNIQUE", "INDEX")) {
            return List.of(createIndex(w));
        }
        if (w.startsWith("DROP")) {
            return List.of(drop(w));
        }
        return List.of(new Effect.Unclassified(null, statement, why));
    }

    /** The column types of a CREATE TABLE's column list (starting at its parenthesis); empty when there is none. */
    private static Map<String, String> columnTypes(Words list) {
        Map<String, String> types = new LinkedHashMap<>();
        int close = list.is(0, "(") ? closing(list) : -1;
        if (close < 0) {
            return types;
        }
        for (Words element : new Words(list.tokens().subList(1, close)).splitTopLevel()) {
            if (element.size() > 1 && !TABLE_CONSTRAINTS.contains(element.at(0))) {
                String type = new Words(element.tokens().subList(1, AlterTableClauses.typeEnd(element, 1))).toString();
                types.put(element.name(0), type);
            }
        }
        return types;
    }

    private static int closing(Words w) {
        int depth = 0;
        for (int i = 0; i < w.size(); i++) {
            depth += w.at(i).equals("(") ? 1 : w.at(i).equals(")") ? -1 : 0;
            if (depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** {@code CREATE [UNIQUE] INDEX [CONCURRENTLY] [[IF NOT EXISTS] name] ON [ONLY] table ...}. */
    private static Effect createIndex(Words w) {
        boolean unique = w.is(1, "UNIQUE");
        int at = unique ? 3 : 2;
        boolean concurrently = w.is(at, "CONCURRENTLY");
        at = w.skip(w.skip(at, "CONCURRENTLY"), "IF", "NOT", "EXISTS");
        String index = w.is(at, "ON") ? null : w.name(at);
        int on = w.indexOf("ON", at);
        String table = on < 0 ? null : w.name(w.skip(on + 1, "ONLY"));
        return new Effect.CreateIndex(table, index, concurrently, unique);
    }

    /** {@code DROP kind [CONCURRENTLY] [IF EXISTS] name ...}. */
    private static Effect drop(Words w) {
        int at = w.is(1, "MATERIALIZED") || w.is(1, "FOREIGN") ? 3 : 2;
        String kind = String.join(" ", w.tokens().subList(1, Math.min(at, w.size()))).toLowerCase(Locale.ROOT);
        boolean concurrently = w.is(at, "CONCURRENTLY");
        String name = w.name(w.skip(w.skip(at, "CONCURRENTLY"), "IF", "EXISTS"));
        return switch (kind) {
            case "table" -> new Effect.DropTable(name);
            case "index" -> new Effect.DropIndex(null, name, concurrently);
            default -> new Effect.DropObject(null, kind + " " + name);
        };
    }
}
