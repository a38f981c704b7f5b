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
import liquibase.changelog.ChangeSet;
import liquibase.util.StringUtil;

/** Classifies Liquibase's typed changes directly, and raw SQL statement by statement through {@link SqlClassifier}. */
final class ChangeClassifier {

    private ChangeClassifier() {
    }

    /** Typed changes that cannot disturb the old version, with a short description. */
    private static final Map<Class<? extends Change>, String> HARMLESS = Map.ofEntries(
            Map.entry(DropNotNullConstraintChange.class, "drop not null"),
            Map.entry(AddDefaultValueChange.class, "add default"),
            Map.entry(DropDefaultValueChange.class, "drop default"),
            Map.entry(DropForeignKeyConstraintChange.class, "drop foreign key"),
            Map.entry(InsertDataChange.class, "insert"),
            Map.entry(UpdateDataChange.class, "update"),
            Map.entry(DeleteDataChange.class, "delete"),
            Map.entry(LoadDataChange.class, "load data"),
            Map.entry(LoadUpdateDataChange.class, "load data"),
            Map.entry(TagDatabaseChange.class, "tag"),
            Map.entry(EmptyChange.class, "empty"),
            Map.entry(OutputChange.class, "output"),
            Map.entry(SetTableRemarksChange.class, "remarks"),
            Map.entry(SetColumnRemarksChange.class, "remarks"));

    static List<Effect> classify(Change change, ChangeSet changeSet) {
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
            Object sql = change.getSerializableFieldValue("sql");
            effect = new Effect.Unclassified(null, sql == null ? change.getClass().getSimpleName() : sql.toString(),
                    "change type " + change.getClass().getSimpleName() + " is not classified");
        }
        return List.of(effect);
    }

    private static Effect structural(Change change) {
        if (change instanceof CreateTableChange c) {
            return new Effect.CreateTable(Names.plain(c.getTableName()), types(c.getColumns()));
        }
        if (change instanceof DropTableChange c) {
            return new Effect.DropTable(Names.plain(c.getTableName()));
        }
        if (change instanceof RenameColumnChange c) {
            return new Effect.RenameColumn(Names.plain(c.getTableName()), Names.plain(c.getOldColumnName()));
        }
        if (change instanceof RenameTableChange c) {
            return new Effect.RenameTable(Names.plain(c.getOldTableName()));
        }
        if (change instanceof ModifyDataTypeChange c) {
            return new Effect.ChangeType(Names.plain(c.getTableName()), Names.plain(c.getColumnName()),
                    c.getNewDataType());
        }
        if (change instanceof AddNotNullConstraintChange c) {
            return new Effect.SetNotNull(Names.plain(c.getTableName()), Names.plain(c.getColumnName()));
        }
        if (change instanceof CreateViewChange c) {
            return new Effect.Additive(null, "view " + c.getViewName());
        }
        if (change instanceof CreateSequenceChange c) {
            return new Effect.Additive(null, "sequence " + c.getSequenceName());
        }
        if (change instanceof DropViewChange c) {
            return new Effect.DropObject(null, "view " + c.getViewName());
        }
        if (change instanceof DropSequenceChange c) {
            return new Effect.DropObject(null, "sequence " + c.getSequenceName());
        }
        return null;
    }

    private static Effect constraintOrIndex(Change change) {
        if (change instanceof AddForeignKeyConstraintChange c) {
            return new Effect.AddConstraint(Names.plain(c.getBaseTableName()), ConstraintKind.FOREIGN_KEY,
                    !Boolean.FALSE.equals(c.getValidate()), false);
        }
        if (change instanceof AddUniqueConstraintChange c) {
            return new Effect.AddConstraint(Names.plain(c.getTableName()), ConstraintKind.UNIQUE,
                    !Boolean.FALSE.equals(c.getValidate()), c.getForIndexName() != null);
        }
        if (change instanceof AddPrimaryKeyChange c) {
            return new Effect.AddConstraint(Names.plain(c.getTableName()), ConstraintKind.PRIMARY_KEY,
                    !Boolean.FALSE.equals(c.getValidate()), c.getForIndexName() != null);
        }
        if (change instanceof CreateIndexChange c) {
            // Liquibase's createIndex has no CONCURRENTLY: only raw SQL builds an index without blocking writes.
            return new Effect.CreateIndex(Names.plain(c.getTableName()), Names.plain(c.getIndexName()), false);
        }
        if (change instanceof DropIndexChange c) {
            return new Effect.DropIndex(Names.plain(c.getTableName()), Names.plain(c.getIndexName()), false);
        }
        if (change instanceof DropUniqueConstraintChange c) {
            return new Effect.DropObject(Names.plain(c.getTableName()), "unique constraint " + c.getConstraintName());
        }
        if (change instanceof DropPrimaryKeyChange c) {
            return new Effect.DropObject(Names.plain(c.getTableName()), "primary key");
        }
        return null;
    }

    /** Split exactly as Liquibase will split it when it runs (same delimiter and comment settings). */
    private static List<Effect> sql(AbstractSQLChange change, ChangeSet changeSet) {
        String sql = change.getSql();
        if (sql == null || sql.isBlank()) {
            return List.of();
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

    private static List<Effect> addColumn(AddColumnChange c) {
        String table = Names.plain(c.getTableName());
        List<Effect> out = new ArrayList<>();
        for (AddColumnConfig col : c.getColumns()) {
            ConstraintsConfig k = col.getConstraints();
            boolean notNull = k != null && (Boolean.FALSE.equals(k.isNullable()) || Boolean.TRUE.equals(k.isPrimaryKey()));
            out.add(new Effect.AddColumn(table, Names.plain(col.getName()), col.getType(), notNull,
                    col.getDefaultValueObject() != null || Boolean.TRUE.equals(col.isAutoIncrement())));
            if (k != null) {
                if (Boolean.TRUE.equals(k.isUnique())) {
                    out.add(new Effect.AddConstraint(table, ConstraintKind.UNIQUE, true, false));
                }
                if (Boolean.TRUE.equals(k.isPrimaryKey())) {
                    out.add(new Effect.AddConstraint(table, ConstraintKind.PRIMARY_KEY, true, false));
                }
                if (k.getReferencedTableName() != null || k.getForeignKeyName() != null || k.getReferences() != null) {
                    out.add(new Effect.AddConstraint(table, ConstraintKind.FOREIGN_KEY, true, false));
                }
            }
        }
        return out;
    }

    private static List<Effect> dropColumns(DropColumnChange c) {
        String table = Names.plain(c.getTableName());
        if (c.getColumns() == null || c.getColumns().isEmpty()) {
            return List.of(new Effect.DropColumn(table, Names.plain(c.getColumnName())));
        }
        return c.getColumns().stream().<Effect>map(col -> new Effect.DropColumn(table, Names.plain(col.getName()))).toList();
    }

    private static Map<String, String> types(List<ColumnConfig> columns) {
        Map<String, String> types = new LinkedHashMap<>();
        if (columns != null) {
            columns.forEach(c -> types.put(Names.plain(c.getName()), c.getType()));
        }
        return types;
    }
}
