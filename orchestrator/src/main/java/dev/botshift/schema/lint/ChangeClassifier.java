package dev.botshift.schema.lint;

import dev.botshift.schema.lint.Effect.ConstraintKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import liquibase.change.AbstractSQLChange;
import liquibase.change.AddColumnConfig;
import liquibase.change.Change;
import liquibase.change.ColumnConfig;
import liquibase.change.ConstraintsConfig;
import liquibase.change.core.*;
import liquibase.change.custom.CustomChangeWrapper;
import liquibase.changelog.ChangeSet;
import liquibase.database.ObjectQuotingStrategy;
import liquibase.util.StringUtil;

/**
 * Classifies Liquibase's typed changes directly, and raw SQL statement by statement through {@link SqlClassifier}.
 * Typed names are resolved under the changeset's quoting strategy ({@link Names#typed}).
 */
public final class ChangeClassifier {
    /** Typed changes that cannot disturb the old version, with a short description. */
    private static final Map<Class<? extends Change>, String> HARMLESS = Map.ofEntries(
            Map.entry(AddDefaultValueChange.class, "add default"),
            Map.entry(DropDefaultValueChange.class, "drop default"),
            Map.entry(DropForeignKeyConstraintChange.class, "drop foreign key"),
            Map.entry(InsertDataChange.class, "insert"),
            Map.entry(LoadDataChange.class, "load data"),
            Map.entry(LoadUpdateDataChange.class, "load data"),
            Map.entry(TagDatabaseChange.class, "tag"),
            Map.entry(EmptyChange.class, "empty"),
            Map.entry(OutputChange.class, "output"),
            Map.entry(SetTableRemarksChange.class, "remarks"),
            Map.entry(SetColumnRemarksChange.class, "remarks"),
            Map.entry(AlterSequenceChange.class, "sequence settings"));

    private final ObjectQuotingStrategy quoting;

    private ChangeClassifier(ChangeSet changeSet) {
        this.quoting = changeSet.getObjectQuotingStrategy();
    }

    public static List<Effect> classify(Change change, ChangeSet changeSet) {
        return new ChangeClassifier(changeSet).effects(change, changeSet);
    }

    private String name(String typed) {
        return Names.typed(typed, quoting);
    }

    private List<Effect> effects(Change change, ChangeSet changeSet) {
        if (change instanceof AbstractSQLChange sql) {
            return sql(sql, changeSet);
        }
        if (HARMLESS.containsKey(change.getClass())) {
            return List.of(new Effect.Harmless(null, HARMLESS.get(change.getClass())));
        }
        Effect effect = structural(change);
        if (effect == null) {
            effect = constraintOrIndex(change);
        }
        if (effect == null && change instanceof AddColumnChange c) {
            return addColumn(c);
        }
        if (effect == null && change instanceof DropColumnChange c) {
            return dropColumns(c);
        }
        if (effect == null) {
            effect = other(change);
        }
        return List.of(effect);
    }

    private Effect structural(Change change) {
        if (change instanceof CreateTableChange c) {
            return new Effect.CreateTable(name(c.getTableName()), types(c.getColumns()));
        }
        if (change instanceof DropTableChange c) {
            return new Effect.DropTable(name(c.getTableName()));
        }
        if (change instanceof RenameColumnChange c) {
            return new Effect.RenameColumn(name(c.getTableName()), name(c.getOldColumnName()));
        }
        if (change instanceof RenameTableChange c) {
            return new Effect.RenameTable(name(c.getOldTableName()));
        }
        if (change instanceof ModifyDataTypeChange c) {
            return new Effect.ChangeType(name(c.getTableName()), name(c.getColumnName()), c.getNewDataType());
        }
        if (change instanceof AddNotNullConstraintChange c) {
            return new Effect.SetNotNull(name(c.getTableName()), name(c.getColumnName()));
        }
        if (change instanceof DropNotNullConstraintChange c) {
            return new Effect.DropNotNull(name(c.getTableName()), name(c.getColumnName()));
        }
        if (change instanceof UpdateDataChange c) {
            return new Effect.Backfill(name(c.getTableName()), "update");
        }
        if (change instanceof DeleteDataChange c) {
            return new Effect.Backfill(name(c.getTableName()), "delete");
        }
        if (change instanceof CreateViewChange c) {
            return new Effect.Additive(null, "view " + c.getViewName());
        }
        if (change instanceof CreateSequenceChange c) {
            return new Effect.Additive(null, "sequence " + c.getSequenceName());
        }
        if (change instanceof CreateProcedureChange c) {
            return new Effect.Additive(null, "function or procedure " + (c.getProcedureName() == null ? ""
                    : c.getProcedureName()));
        }
        if (change instanceof DropViewChange c) {
            return new Effect.DropObject(null, "view " + c.getViewName());
        }
        if (change instanceof DropSequenceChange c) {
            return new Effect.DropObject(null, "sequence " + c.getSequenceName());
        }
        if (change instanceof DropProcedureChange c) {
            return new Effect.DropObject(null, "procedure " + c.getProcedureName());
        }
        if (change instanceof RenameViewChange c) {
            return new Effect.RenameObject(null, "view " + c.getOldViewName());
        }
        if (change instanceof RenameSequenceChange c) {
            return new Effect.RenameObject(null, "sequence " + c.getOldSequenceName());
        }
        return null;
    }

    private Effect constraintOrIndex(Change change) {
        if (change instanceof AddForeignKeyConstraintChange c) {
            return new Effect.AddConstraint(name(c.getBaseTableName()), name(c.getConstraintName()),
                    ConstraintKind.FOREIGN_KEY, !Boolean.FALSE.equals(c.getValidate()), false);
        }
        if (change instanceof AddUniqueConstraintChange c) {
            return new Effect.AddConstraint(name(c.getTableName()), name(c.getConstraintName()), ConstraintKind.UNIQUE,
                    !Boolean.FALSE.equals(c.getValidate()), c.getForIndexName() != null);
        }
        if (change instanceof AddPrimaryKeyChange c) {
            return new Effect.AddConstraint(name(c.getTableName()), name(c.getConstraintName()),
                    ConstraintKind.PRIMARY_KEY, !Boolean.FALSE.equals(c.getValidate()), c.getForIndexName() != null);
        }
        if (change instanceof CreateIndexChange c) {
            // Liquibase's createIndex has no CONCURRENTLY: only raw SQL builds an index without blocking writes.
            return new Effect.CreateIndex(name(c.getTableName()), name(c.getIndexName()), false,
                    Boolean.TRUE.equals(c.isUnique()));
        }
        if (change instanceof DropIndexChange c) {
            return new Effect.DropIndex(name(c.getTableName()), name(c.getIndexName()), false);
        }
        if (change instanceof DropUniqueConstraintChange c) {
            return new Effect.DropObject(name(c.getTableName()), "unique constraint " + c.getConstraintName());
        }
        if (change instanceof DropPrimaryKeyChange c) {
            return new Effect.DropObject(name(c.getTableName()), "primary key");
        }
        if (change instanceof DropAllForeignKeyConstraintsChange c) {
            return new Effect.Harmless(name(c.getBaseTableName()), "drop foreign keys");
        }
        return null;
    }

    private static Effect other(Change change) {
        if (change instanceof LintableCustomChange c && c.classMissing()) {
            return new Effect.Unclassified(null, "customChange " + c.getClassName(), "its class is not on the"
                    + " classpath; add its jar with --classpath (plan: database.classpath) to run it");
        }
        if (change instanceof CustomChangeWrapper c) {
            return new Effect.Unclassified(null, "customChange " + c.getClassName(),
                    "it runs Java code the linter cannot read");
        }
        Object sql = change.getSerializableFields().contains("sql") ? change.getSerializableFieldValue("sql") : null;
        return new Effect.Unclassified(null, sql == null ? change.getClass().getSimpleName() : sql.toString(),
                "change type " + change.getClass().getSimpleName() + " is not classified");
    }

    /** Split exactly as Liquibase will split it when it runs (same delimiter and comment settings). */
    private static List<Effect> sql(AbstractSQLChange change, ChangeSet changeSet) {
        String sql;
        try {
            sql = change.getSql();
        } catch (RuntimeException e) { // an sqlFile that is not there: Liquibase could not run it either
            throw new dev.botshift.core.InvalidInputException("changeset " + changeSet.getId() + " ("
                    + changeSet.getFilePath() + "): its SQL file "
                    + (change instanceof SQLFileChange f ? f.getPath() + " " : "") + "cannot be read", null);
        }
        if (sql == null || sql.isBlank()) {
            return List.of();
        }
        if (change instanceof SQLFileChange f) {
            // as the changelog's own text is checked when read: a name nothing defines is refused before anything runs
            java.util.Optional<String> unfilled = ChangelogParameters.unfilled(sql);
            if (unfilled.isPresent()) {
                throw new dev.botshift.core.InvalidInputException("changeset " + changeSet.getId() + " ("
                        + changeSet.getFilePath() + "): its SQL file " + f.getPath() + ": "
                        + ChangelogParameters.undefined(unfilled.get()), null);
            }
        }
        boolean strip = !Boolean.FALSE.equals(change.isStripComments());
        boolean split = !Boolean.FALSE.equals(change.isSplitStatements());
        List<Effect> out = new ArrayList<>();
        String[] statements;
        try {
            statements = StringUtil.processMultiLineSQL(sql, strip, split, change.getEndDelimiter(), changeSet);
        } catch (liquibase.exception.UnexpectedLiquibaseException e) {
            // Liquibase's own splitter gave up (seen on fuzzed input): report it, never crash the lint
            return List.of(new Effect.Unclassified(null, sql.strip(), "Liquibase cannot split this SQL into statements"));
        }
        for (String statement : statements) {
            if (!statement.isBlank()) {
                out.addAll(SqlClassifier.classify(statement.trim()));
            }
        }
        return out;
    }

    private List<Effect> addColumn(AddColumnChange c) {
        String table = name(c.getTableName());
        List<Effect> out = new ArrayList<>();
        for (AddColumnConfig col : c.getColumns()) {
            ConstraintsConfig k = col.getConstraints();
            boolean notNull = k != null && (Boolean.FALSE.equals(k.isNullable()) || Boolean.TRUE.equals(k.isPrimaryKey()));
            boolean autoIncrement = Boolean.TRUE.equals(col.isAutoIncrement());
            out.add(new Effect.AddColumn(table, name(col.getName()), col.getType(), notNull,
                    col.getDefaultValueObject() != null || autoIncrement, rewrites(col, autoIncrement)));
            if (k != null) {
                if (Boolean.TRUE.equals(k.isUnique())) {
                    out.add(new Effect.AddConstraint(table, name(k.getUniqueConstraintName()), ConstraintKind.UNIQUE,
                            true, false));
                }
                if (Boolean.TRUE.equals(k.isPrimaryKey())) {
                    out.add(new Effect.AddConstraint(table, name(k.getPrimaryKeyName()), ConstraintKind.PRIMARY_KEY,
                            true, false));
                }
                if (k.getReferencedTableName() != null || k.getForeignKeyName() != null || k.getReferences() != null) {
                    out.add(new Effect.AddConstraint(table, name(k.getForeignKeyName()), ConstraintKind.FOREIGN_KEY,
                            !Boolean.FALSE.equals(k.getValidateForeignKey()), false));
                }
            }
        }
        return out;
    }

    /** Why adding this column rewrites the table, or null: as {@link ColumnSpecs} judges the same in SQL. */
    private static String rewrites(AddColumnConfig col, boolean autoIncrement) {
        if (autoIncrement || ColumnSpecs.isSerial(col.getType())) {
            return "an auto-increment column: its sequence fills every existing row";
        }
        if (col.getDefaultValueSequenceNext() != null) {
            return "a default from sequence " + col.getDefaultValueSequenceNext() + ": every existing row gets its"
                    + " own value";
        }
        Words type = col.getType() == null ? null : Words.of(col.getType());
        if (type != null && type.has("GENERATED")) {
            return ColumnSpecs.of(null, type).rewrites();
        }
        if (col.getDefaultValueComputed() != null) {
            Words expression = Words.of(col.getDefaultValueComputed().getValue());
            return expression == null ? null : Functions.volatileDefault(expression);
        }
        return null;
    }

    private List<Effect> dropColumns(DropColumnChange c) {
        String table = name(c.getTableName());
        if (c.getColumns() == null || c.getColumns().isEmpty()) {
            return List.of(new Effect.DropColumn(table, name(c.getColumnName())));
        }
        return c.getColumns().stream().<Effect>map(col -> new Effect.DropColumn(table, name(col.getName()))).toList();
    }

    private Map<String, String> types(List<ColumnConfig> columns) {
        Map<String, String> types = new LinkedHashMap<>();
        if (columns != null) {
            columns.forEach(c -> types.put(name(c.getName()), c.getType()));
        }
        return types;
    }
}
