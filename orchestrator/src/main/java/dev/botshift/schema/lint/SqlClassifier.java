package dev.botshift.schema.lint;

import dev.botshift.schema.lint.Effect.ConstraintKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.comment.Comment;
import net.sf.jsqlparser.statement.create.function.CreateFunction;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.sequence.CreateSequence;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.SetStatement;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.Update;

/** Classifies one SQL statement (already split by Liquibase) with JSqlParser. */
public final class SqlClassifier {

    private SqlClassifier() {
    }

    public static List<Effect> classify(String statement) {
        PgDialectShim.Normalized n = PgDialectShim.normalize(statement);
        Statement parsed;
        try {
            parsed = SqlParser.parse(n.sql());
        } catch (JSQLParserException | RuntimeException e) {
            return List.of(new Effect.Unclassified(null, statement, "JSqlParser cannot parse it"));
        }
        if (parsed instanceof Alter a) {
            return AlterClassifier.classify(a, n, statement);
        }
        return List.of(single(parsed, n, statement));
    }

    private static Effect single(Statement parsed, PgDialectShim.Normalized n, String statement) {
        if (parsed instanceof CreateTable c) {
            return createTable(c);
        }
        if (parsed instanceof CreateIndex c) {
            return new Effect.CreateIndex(name(c.getTable()), Names.plain(c.getIndex().getName()), n.concurrently());
        }
        if (parsed instanceof Drop d) {
            return drop(d, n);
        }
        if (parsed instanceof Insert i) {
            return new Effect.Harmless(name(i.getTable()), "insert");
        }
        if (parsed instanceof Update u) {
            return new Effect.Harmless(name(u.getTable()), "update");
        }
        if (parsed instanceof Delete d) {
            return new Effect.Harmless(name(d.getTable()), "delete");
        }
        if (parsed instanceof Select || parsed instanceof SetStatement || parsed instanceof Comment) {
            return new Effect.Harmless(null, parsed.getClass().getSimpleName());
        }
        if (parsed instanceof Truncate t) {
            return new Effect.DropObject(name(t.getTable()), "rows (TRUNCATE)");
        }
        if (parsed instanceof CreateView || parsed instanceof CreateSequence || parsed instanceof CreateFunction) {
            return new Effect.Additive(null, parsed.getClass().getSimpleName());
        }
        return new Effect.Unclassified(null, statement, parsed.getClass().getSimpleName() + " statements are not classified");
    }

    private static Effect createTable(CreateTable c) {
        Map<String, String> types = new LinkedHashMap<>();
        if (c.getColumnDefinitions() != null) {
            c.getColumnDefinitions().forEach(d -> types.put(Names.plain(d.getColumnName()), d.getColDataType().toString()));
        }
        return new Effect.CreateTable(name(c.getTable()), types);
    }

    private static Effect drop(Drop d, PgDialectShim.Normalized n) {
        String type = d.getType().toUpperCase(Locale.ROOT);
        boolean concurrently = n.concurrently()
                || (d.getParameters() != null && d.getParameters().stream().anyMatch("CONCURRENTLY"::equalsIgnoreCase));
        return switch (type) {
            case "TABLE" -> new Effect.DropTable(name(d.getName()));
            case "INDEX" -> new Effect.DropIndex(null, name(d.getName()), concurrently);
            default -> new Effect.DropObject(null, type.toLowerCase(Locale.ROOT) + " " + d.getName());
        };
    }

    static String name(Table t) {
        return t == null ? null : Names.plain(t.getName());
    }

    /** Effects of the {@code ALTER TABLE} sub-commands. */
    private static final class AlterClassifier {
        private AlterClassifier() {
        }

        static List<Effect> classify(Alter a, PgDialectShim.Normalized n, String original) {
            String table = name(a.getTable());
            List<Effect> out = new ArrayList<>();
            if (a.getAlterExpressions() == null) {
                return List.of(new Effect.Unclassified(table, original, "ALTER without sub-commands"));
            }
            for (var e : a.getAlterExpressions()) {
                out.addAll(expression(table, e, n, original));
            }
            return out;
        }

        private static List<Effect> expression(String table, net.sf.jsqlparser.statement.alter.AlterExpression e,
                                               PgDialectShim.Normalized n, String original) {
            String text = e.toString().toUpperCase(Locale.ROOT);
            switch (e.getOperation()) {
                case ADD:
                    return add(table, e, n, original);
                case DROP:
                    return e.getColumnName() != null
                            ? List.of(new Effect.DropColumn(table, Names.plain(e.getColumnName())))
                            : List.of(new Effect.DropObject(table, "constraint " + e.getConstraintName()));
                case DROP_PRIMARY_KEY:
                case DROP_UNIQUE:
                    return List.of(new Effect.DropObject(table, "constraint"));
                case DROP_FOREIGN_KEY:
                    return List.of(new Effect.Harmless(table, "drop foreign key"));
                case ALTER:
                case MODIFY:
                    return alterColumns(table, e, original);
                case RENAME:
                case CHANGE:
                    return List.of(new Effect.RenameColumn(table, Names.plain(e.getColumnOldName())));
                case RENAME_TABLE:
                    return List.of(new Effect.RenameTable(table));
                case RENAME_INDEX:
                case RENAME_CONSTRAINT:
                case RENAME_KEY:
                    return List.of(new Effect.DropObject(table, "old name of " + text));
                case UNSPECIFIC:
                    return text.startsWith("VALIDATE CONSTRAINT")
                            ? List.of(new Effect.Harmless(table, "validate constraint"))
                            : List.of(new Effect.Unclassified(table, original, "ALTER TABLE " + text));
                default:
                    return List.of(new Effect.Unclassified(table, original, "ALTER TABLE " + e.getOperation()));
            }
        }

        private static List<Effect> add(String table, net.sf.jsqlparser.statement.alter.AlterExpression e,
                                        PgDialectShim.Normalized n, String original) {
            boolean validated = !n.notValid();
            if (e.getColDataTypeList() != null) {
                List<Effect> out = new ArrayList<>();
                for (var c : e.getColDataTypeList()) {
                    ColumnSpecs specs = ColumnSpecs.of(c.getColumnSpecs());
                    out.add(new Effect.AddColumn(table, Names.plain(c.getColumnName()), c.getColDataType().toString(),
                            specs.notNull(), specs.hasDefault()));
                    specs.inlineConstraints().forEach(k -> out.add(new Effect.AddConstraint(table, k, validated, false)));
                }
                return out;
            }
            if (e.getIndex() != null) {
                return List.of(new Effect.AddConstraint(table, kind(e.getIndex()), validated, n.usingIndex()));
            }
            if (e.getPkColumns() != null) {
                return List.of(new Effect.AddConstraint(table, ConstraintKind.PRIMARY_KEY, validated, n.usingIndex()));
            }
            if (e.getUk() || e.getUkColumns() != null) {
                return List.of(new Effect.AddConstraint(table, ConstraintKind.UNIQUE, validated, n.usingIndex()));
            }
            return List.of(new Effect.Unclassified(table, original, "ALTER TABLE ADD " + e));
        }

        private static ConstraintKind kind(net.sf.jsqlparser.statement.create.table.Index index) {
            if (index instanceof net.sf.jsqlparser.statement.create.table.ForeignKeyIndex) {
                return ConstraintKind.FOREIGN_KEY;
            }
            if (index instanceof net.sf.jsqlparser.statement.create.table.CheckConstraint) {
                return ConstraintKind.CHECK;
            }
            String type = index.getType() == null ? "" : index.getType().toUpperCase(Locale.ROOT);
            return type.contains("PRIMARY") ? ConstraintKind.PRIMARY_KEY : ConstraintKind.UNIQUE;
        }

        private static List<Effect> alterColumns(String table, net.sf.jsqlparser.statement.alter.AlterExpression e,
                                                 String original) {
            if (e.getColDataTypeList() == null) {
                boolean defaults = e.getColumnSetDefaultList() != null || e.getColumnDropDefaultList() != null
                        || e.getColumnDropNotNullList() != null;
                return defaults ? List.of(new Effect.Harmless(table, "column default or DROP NOT NULL"))
                        : List.of(new Effect.Unclassified(table, original, "ALTER COLUMN " + e));
            }
            List<Effect> out = new ArrayList<>();
            for (var c : e.getColDataTypeList()) {
                String column = Names.plain(c.getColumnName());
                // JSqlParser reads "SET NOT NULL" as type "SET" followed by the specs "NOT NULL".
                String type = c.getColDataType() == null ? "" : c.getColDataType().getDataType();
                String specs = String.join(" ", c.getColumnSpecs() == null ? List.of() : c.getColumnSpecs());
                String words = (type + " " + specs).strip().toUpperCase(Locale.ROOT);
                if (words.startsWith("SET NOT NULL")) {
                    out.add(new Effect.SetNotNull(table, column));
                } else if (words.startsWith("DROP NOT NULL") || words.startsWith("SET DEFAULT")
                        || words.startsWith("DROP DEFAULT")) {
                    out.add(new Effect.Harmless(table, "ALTER COLUMN " + words));
                } else if (c.getColDataType() != null && !words.startsWith("SET ")) {
                    out.add(new Effect.ChangeType(table, column, c.getColDataType().toString()));
                } else {
                    out.add(new Effect.Unclassified(table, original, "ALTER COLUMN " + c));
                }
            }
            return out;
        }
    }
}
