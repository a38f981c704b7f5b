package dev.botshift.schema.lint;

import dev.botshift.schema.lint.Effect.ConstraintKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.create.table.CheckConstraint;
import net.sf.jsqlparser.statement.create.table.ForeignKeyIndex;
import net.sf.jsqlparser.statement.create.table.Index;

/** Effects of the {@code ALTER TABLE} sub-commands JSqlParser parsed. */
final class AlterClassifier {
    private AlterClassifier() {
    }

    static List<Effect> classify(Alter a, PgDialectShim.Normalized n, String original) {
        String table = SqlClassifier.name(a.getTable());
        List<Effect> out = new ArrayList<>();
        if (a.getAlterExpressions() == null) {
            return List.of(new Effect.Unclassified(table, original, "ALTER without sub-commands"));
        }
        for (AlterExpression e : a.getAlterExpressions()) {
            out.addAll(expression(table, e, n, original));
        }
        return out;
    }

    private static List<Effect> expression(String table, AlterExpression e, PgDialectShim.Normalized n,
                                           String original) {
        String text = e.toString().toUpperCase(Locale.ROOT);
        switch (e.getOperation()) {
            case ADD:
                return add(table, e, n, original);
            case DROP:
                return e.getColumnName() != null
                        ? List.of(new Effect.DropColumn(table, Names.plain(e.getColumnName())))
                        : List.of(new Effect.DropConstraint(table, Names.plain(e.getConstraintName())));
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
                return List.of(new Effect.RenameObject(table, "old name of " + text));
            case UNSPECIFIC:
                return text.startsWith("VALIDATE CONSTRAINT")
                        ? List.of(new Effect.Harmless(table, "validate constraint"))
                        : List.of(new Effect.Unclassified(table, original, "ALTER TABLE " + text));
            default:
                return List.of(new Effect.Unclassified(table, original, "ALTER TABLE " + e.getOperation()));
        }
    }

    private static List<Effect> add(String table, AlterExpression e, PgDialectShim.Normalized n, String original) {
        boolean validated = !n.notValid();
        String name = Names.plain(e.getConstraintName());
        if (e.getColDataTypeList() != null) {
            List<Effect> out = new ArrayList<>();
            for (var c : e.getColDataTypeList()) {
                if (c.getColDataType() == null) {
                    // JSqlParser takes "ADD COLUMN d" without a type (a comment cut into the line, say); PostgreSQL
                    // refuses it: not ours to guess what it meant
                    out.add(new Effect.Unclassified(table, original, "ADD COLUMN " + c.getColumnName() + " without a type"));
                    continue;
                }
                String type = c.getColDataType().toString();
                ColumnSpecs specs = ColumnSpecs.of(type, c.getColumnSpecs());
                out.add(new Effect.AddColumn(table, Names.plain(c.getColumnName()), type, specs.notNull(),
                        specs.hasDefault(), specs.rewrites()));
                specs.inlineConstraints().forEach(k -> out.add(new Effect.AddConstraint(table, null, k, validated, false)));
            }
            return out;
        }
        if (e.getIndex() != null) {
            String indexName = e.getIndex().getName() != null ? Names.plain(e.getIndex().getName()) : name;
            return List.of(new Effect.AddConstraint(table, indexName, kind(e.getIndex()), validated, n.usingIndex()));
        }
        if (e.getPkColumns() != null) {
            return List.of(new Effect.AddConstraint(table, name, ConstraintKind.PRIMARY_KEY, validated, n.usingIndex()));
        }
        if (e.getUk() || e.getUkColumns() != null) {
            return List.of(new Effect.AddConstraint(table, name, ConstraintKind.UNIQUE, validated, n.usingIndex()));
        }
        return List.of(new Effect.Unclassified(table, original, "ALTER TABLE ADD " + e));
    }

    private static ConstraintKind kind(Index index) {
        if (index instanceof ForeignKeyIndex) {
            return ConstraintKind.FOREIGN_KEY;
        }
        if (index instanceof CheckConstraint) {
            return ConstraintKind.CHECK;
        }
        String type = index.getType() == null ? "" : index.getType().toUpperCase(Locale.ROOT);
        return type.contains("PRIMARY") ? ConstraintKind.PRIMARY_KEY : ConstraintKind.UNIQUE;
    }

    private static List<Effect> alterColumns(String table, AlterExpression e, String original) {
        if (e.getColDataTypeList() == null) {
            if (e.getColumnDropNotNullList() != null) {
                return e.getColumnDropNotNullList().stream()
                        .<Effect>map(c -> new Effect.DropNotNull(table, Names.plain(c.getColumnName()))).toList();
            }
            boolean defaults = e.getColumnSetDefaultList() != null || e.getColumnDropDefaultList() != null;
            return defaults ? List.of(new Effect.Harmless(table, "column default"))
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
            } else if (words.startsWith("DROP NOT NULL")) {
                out.add(new Effect.DropNotNull(table, column));
            } else if (words.startsWith("SET DEFAULT") || words.startsWith("DROP DEFAULT")) {
                out.add(new Effect.Harmless(table, "ALTER COLUMN " + words));
            } else if (c.getColDataType() != null && !words.startsWith("SET ") && !words.startsWith("DROP ")
                    && !words.startsWith("RESTART") && !words.startsWith("ADD ")) {
                out.add(new Effect.ChangeType(table, column, c.getColDataType().toString()));
            } else {
                out.add(new Effect.Unclassified(table, original, "ALTER COLUMN " + c));
            }
        }
        return out;
    }
}
