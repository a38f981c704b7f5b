package dev.botshift.schema.liquibase;

import dev.botshift.schema.lint.PgDialectShim;
import dev.botshift.schema.lint.SqlParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.alter.AlterOperation;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.ColumnDefinition;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.table.ForeignKeyIndex;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.truncate.Truncate;

/**
 * The tables a statement locks in a mode that, while the request waits in the lock queue, makes the application's
 * own statements on that table queue behind it. Parsed with JSqlParser after the linter's {@link PgDialectShim}.
 * Statements whose locks never conflict with ordinary reads and writes (DML, {@code CONCURRENTLY},
 * {@code VALIDATE CONSTRAINT}, views, functions) and statements that cannot be parsed need nothing: for those the
 * polite wait is skipped and {@code lock_timeout} alone protects the application.
 */
final class LockTargets {

    /**
     * @param relation  as written (schema-qualified or quoted if it was); may name an index, which the wait resolves
     *                  to its table
     * @param exclusive true for ACCESS EXCLUSIVE (a waiting request blocks readers and writers); false for SHARE or
     *                  SHARE ROW EXCLUSIVE (blocks writers only, so holders of read locks do not matter)
     */
    record Need(String relation, boolean exclusive) {
    }

    private LockTargets() {
    }

    static List<Need> of(String statement) {
        return parse(statement).stream().filter(n -> n.relation() != null && !n.relation().isBlank()).toList();
    }

    private static List<Need> parse(String statement) {
        String sql = statement.strip();
        if (sql.endsWith(";")) {
            sql = sql.substring(0, sql.length() - 1);
        }
        PgDialectShim.Normalized n = PgDialectShim.normalize(sql);
        if (n.concurrently()) {
            return List.of(); // SHARE UPDATE EXCLUSIVE: conflicts with no read or write lock
        }
        Statement parsed;
        try {
            parsed = SqlParser.parse(n.sql());
        } catch (JSQLParserException | RuntimeException e) {
            return List.of();
        }
        if (parsed instanceof Alter a) {
            return alter(a);
        }
        if (parsed instanceof CreateIndex c) {
            return List.of(new Need(name(c.getTable()), false));
        }
        if (parsed instanceof Truncate t) {
            return List.of(new Need(name(t.getTable()), true));
        }
        if (parsed instanceof Drop d) {
            String type = d.getType().toUpperCase(Locale.ROOT);
            boolean relation = type.equals("TABLE") || type.equals("INDEX") || type.endsWith("VIEW");
            return relation ? List.of(new Need(name(d.getName()), true)) : List.of();
        }
        if (parsed instanceof CreateTable c) {
            return referenced(c);
        }
        return List.of();
    }

    private static List<Need> alter(Alter a) {
        String table = name(a.getTable());
        List<Need> out = new ArrayList<>();
        boolean exclusive = false;
        boolean any = false;
        for (AlterExpression e : a.getAlterExpressions() == null ? List.<AlterExpression>of() : a.getAlterExpressions()) {
            if (e.getOperation() == AlterOperation.UNSPECIFIC
                    && e.toString().toUpperCase(Locale.ROOT).startsWith("VALIDATE CONSTRAINT")) {
                continue; // SHARE UPDATE EXCLUSIVE
            }
            any = true;
            if (e.getIndex() instanceof ForeignKeyIndex fk) {
                out.add(new Need(name(fk.getTable()), false)); // SHARE ROW EXCLUSIVE on both tables
            } else if (e.getFkSourceTable() != null) {
                out.add(new Need(e.getFkSourceTable(), false));
            } else {
                exclusive = true;
            }
        }
        if (any) {
            out.add(0, new Need(table, exclusive));
        }
        return out;
    }

    /** A new table's foreign keys take SHARE ROW EXCLUSIVE on the tables they reference. */
    private static List<Need> referenced(CreateTable c) {
        List<Need> out = new ArrayList<>();
        if (c.getIndexes() != null) {
            c.getIndexes().stream().filter(i -> i instanceof ForeignKeyIndex)
                    .forEach(i -> out.add(new Need(name(((ForeignKeyIndex) i).getTable()), false)));
        }
        for (ColumnDefinition d : c.getColumnDefinitions() == null ? List.<ColumnDefinition>of()
                : c.getColumnDefinitions()) {
            List<String> specs = d.getColumnSpecs() == null ? List.of() : d.getColumnSpecs();
            for (int i = 0; i + 1 < specs.size(); i++) {
                if (specs.get(i).equalsIgnoreCase("REFERENCES")) {
                    out.add(new Need(specs.get(i + 1).replaceFirst("\\(.*$", ""), false));
                }
            }
        }
        return out;
    }

    private static String name(Table t) {
        return t == null ? null : t.getFullyQualifiedName();
    }
}
