package dev.botshift.schema.lint;

import dev.botshift.schema.lint.Effect.ConstraintKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The sub-commands of an {@code ALTER TABLE} that JSqlParser 5.3 leaves unread ({@code SET TABLESPACE},
 * {@code SET LOGGED}, storage parameters, {@code DETACH PARTITION}, identity and generated-column clauses,
 * {@code EXCLUDE} and {@code DEFERRABLE} constraints...), classified on their tokens.
 */
final class AlterTableClauses {
    private static final Set<String> TYPE_END = Set.of("DEFAULT", "NOT", "NULL", "CONSTRAINT", "CHECK", "REFERENCES",
            "UNIQUE", "PRIMARY", "GENERATED", "COLLATE");

    private AlterTableClauses() {
    }

    /** {@code ALTER TABLE [IF EXISTS] [ONLY] name sub-command, ...}; null when the statement is not of that form. */
    static List<Effect> statement(Words w, String original) {
        if (!w.startsWith("ALTER", "TABLE")) {
            return null;
        }
        int at = w.skip(w.skip(2, "IF", "EXISTS"), "ONLY");
        String table = w.name(at);
        if (table == null) {
            return null;
        }
        List<Effect> out = new ArrayList<>();
        for (Words clause : w.from(w.afterName(at)).splitTopLevel()) {
            out.addAll(clause(table, clause, original));
        }
        return out;
    }

    /** One sub-command of an ALTER TABLE on {@code table}. */
    static List<Effect> clause(String table, Words c, String original) {
        if (c.startsWith("SET", "TABLESPACE") || c.startsWith("SET", "LOGGED") || c.startsWith("SET", "UNLOGGED")
                || c.startsWith("SET", "ACCESS", "METHOD")) {
            return List.of(new Effect.Blocking(table, "ALTER TABLE ... " + c.at(0) + " " + c.at(1), true, false));
        }
        if (c.startsWith("SET", "(") || c.startsWith("RESET", "(") || c.startsWith("CLUSTER", "ON")
                || c.startsWith("SET", "WITHOUT") || c.startsWith("OWNER", "TO") || c.startsWith("REPLICA")
                || c.startsWith("VALIDATE", "CONSTRAINT")) {
            return List.of(new Effect.Harmless(table, "ALTER TABLE ... " + c.at(0) + " " + c.at(1)));
        }
        if (c.startsWith("SET", "SCHEMA")) {
            return List.of(new Effect.RenameTable(table));
        }
        if (c.startsWith("DETACH", "PARTITION")) {
            Effect drop = new Effect.DropObject(table, "partition " + c.name(2) + " (DETACH: its rows leave " + table + ")");
            return c.has("CONCURRENTLY") ? List.of(drop)
                    : List.of(drop, new Effect.Blocking(table, "DETACH PARTITION without CONCURRENTLY", false, false));
        }
        if (c.startsWith("ATTACH", "PARTITION")) {
            return List.of(new Effect.Additive(table, "partition " + c.name(2)));
        }
        if (c.startsWith("ALTER")) {
            return column(table, c.from(c.skip(1, "COLUMN")), original);
        }
        if (c.startsWith("ADD")) {
            return add(table, c.from(1), original);
        }
        if (c.startsWith("DROP", "CONSTRAINT")) {
            return List.of(new Effect.DropConstraint(table, c.name(c.skip(2, "IF", "EXISTS"))));
        }
        if (c.startsWith("DROP")) {
            return List.of(new Effect.DropColumn(table, c.name(c.skip(c.skip(1, "COLUMN"), "IF", "EXISTS"))));
        }
        if (c.startsWith("RENAME", "CONSTRAINT")) {
            return List.of(new Effect.RenameObject(table, "constraint " + c.name(2)));
        }
        if (c.startsWith("RENAME", "TO")) {
            return List.of(new Effect.RenameTable(table));
        }
        if (c.startsWith("RENAME")) {
            return List.of(new Effect.RenameColumn(table, c.name(c.skip(1, "COLUMN"))));
        }
        return List.of(new Effect.Unclassified(table, original, "ALTER TABLE ... " + c));
    }

    /** {@code ALTER [COLUMN] name ...}; {@code c} starts at the column name. */
    private static List<Effect> column(String table, Words c, String original) {
        String column = c.name(0);
        Words rest = c.from(1);
        if (rest.startsWith("DROP", "EXPRESSION")) {
            return List.of(new Effect.DropObject(table, "generation expression of " + table + "." + column));
        }
        if (rest.startsWith("DROP", "IDENTITY")) {
            return List.of(new Effect.AlterIdentity(table, column, "DROP IDENTITY"));
        }
        if (rest.startsWith("SET", "GENERATED", "ALWAYS")) {
            return List.of(new Effect.AlterIdentity(table, column, "SET GENERATED ALWAYS"));
        }
        if (rest.startsWith("DROP", "NOT", "NULL")) {
            return List.of(new Effect.DropNotNull(table, column));
        }
        if (rest.startsWith("SET", "NOT", "NULL")) {
            return List.of(new Effect.SetNotNull(table, column));
        }
        if (rest.startsWith("TYPE") || rest.startsWith("SET", "DATA", "TYPE")) {
            Words type = rest.from(rest.at(0).equals("TYPE") ? 1 : 3);
            int using = type.indexOf("USING", 0);
            int collate = type.indexOf("COLLATE", 0);
            int end = using < 0 ? collate : collate < 0 ? using : Math.min(using, collate);
            String newType = (end < 0 ? type : new Words(type.tokens().subList(0, end))).toString();
            return List.of(new Effect.ChangeType(table, column, newType));
        }
        if (rest.startsWith("SET", "DEFAULT") || rest.startsWith("DROP", "DEFAULT") || rest.startsWith("RESTART")
                || rest.startsWith("SET", "STATISTICS") || rest.startsWith("SET", "STORAGE")
                || rest.startsWith("SET", "COMPRESSION") || rest.startsWith("SET", "(") || rest.startsWith("RESET")
                || rest.startsWith("SET", "INCREMENT") || rest.startsWith("SET", "START")
                || rest.startsWith("SET", "GENERATED", "BY", "DEFAULT") || rest.startsWith("ADD", "GENERATED")) {
            return List.of(new Effect.Harmless(table, "ALTER COLUMN " + column + " " + rest.at(0) + " " + rest.at(1)));
        }
        return List.of(new Effect.Unclassified(table, original, "ALTER COLUMN " + c));
    }

    /** The index just after a column's type that starts at {@code from}. */
    static int typeEnd(Words c, int from) {
        int end = from;
        int depth = 0;
        for (; end < c.size(); end++) {
            depth += c.at(end).equals("(") ? 1 : c.at(end).equals(")") ? -1 : 0;
            if (depth == 0 && TYPE_END.contains(c.at(end))) {
                break;
            }
        }
        return end;
    }

    /** {@code ADD ...}; {@code c} starts after ADD. */
    private static List<Effect> add(String table, Words c, String original) {
        int at = 0;
        String name = null;
        if (c.startsWith("CONSTRAINT")) {
            name = c.name(1);
            at = c.afterName(1);
        }
        boolean notValid = c.is(c.size() - 2, "NOT", "VALID");
        boolean usingIndex = c.indexOf("USING", at) >= 0 && c.at(c.indexOf("USING", at) + 1).equals("INDEX");
        ConstraintKind kind = switch (c.at(at)) {
            case "FOREIGN" -> ConstraintKind.FOREIGN_KEY;
            case "CHECK" -> ConstraintKind.CHECK;
            case "UNIQUE" -> ConstraintKind.UNIQUE;
            case "PRIMARY" -> ConstraintKind.PRIMARY_KEY;
            case "EXCLUDE" -> ConstraintKind.EXCLUSION;
            default -> null;
        };
        if (kind != null) {
            return List.of(new Effect.AddConstraint(table, name, kind, !notValid, usingIndex));
        }
        if (name != null) {
            return List.of(new Effect.Unclassified(table, original, "ALTER TABLE ... ADD " + c));
        }
        int col = c.skip(c.skip(0, "COLUMN"), "IF", "NOT", "EXISTS");
        String column = c.name(col);
        if (column == null) {
            return List.of(new Effect.Unclassified(table, original, "ALTER TABLE ... ADD " + c));
        }
        int typeEnd = typeEnd(c, col + 1);
        String type = new Words(c.tokens().subList(col + 1, typeEnd)).toString();
        ColumnSpecs specs = ColumnSpecs.of(type, c.from(typeEnd));
        List<Effect> out = new ArrayList<>();
        out.add(new Effect.AddColumn(table, column, type, specs.notNull(), specs.hasDefault(), specs.rewrites()));
        specs.inlineConstraints().forEach(k -> out.add(new Effect.AddConstraint(table, null, k, !notValid, false)));
        return out;
    }
}
