package dev.botshift.schema.lightlock;

import dev.botshift.schema.lint.Effect;
import dev.botshift.schema.lint.PgDialectShim;
import dev.botshift.schema.lint.SqlClassifier;
import dev.botshift.schema.lint.SqlParser;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.drop.Drop;

/**
 * The lock-light form of one SQL statement, decided by the linter's classification ({@link SqlClassifier}) and the
 * statement JSqlParser parsed: never by pattern matching on the text. A statement with no lock-light form (or one
 * this rewriter cannot reproduce exactly, such as an unnamed constraint or several sub-commands) is left as written.
 */
public final class StatementRewriter {
    private static final int MAX_IDENTIFIER = 63;

    private StatementRewriter() {
    }

    /** The steps replacing {@code statement}, or empty when it runs as written. */
    public static Optional<List<Step>> rewrite(String statement) {
        return Single.of(statement).flatMap(StatementRewriter::rewrite);
    }

    private static Optional<List<Step>> rewrite(Single single) {
        String sql = single.sql();
        Effect effect = single.effect();
        Statement parsed = single.parsed();
        if (effect instanceof Effect.SetNotNull && parsed instanceof Alter a) {
            return setNotNull(a);
        }
        if (effect instanceof Effect.AddConstraint c && c.validated() && !c.usingIndex() && parsed instanceof Alter a) {
            return switch (c.kind()) {
                case FOREIGN_KEY, CHECK -> notValidThenValidate(a, sql);
                case UNIQUE -> uniqueViaIndex(a);
                case PRIMARY_KEY -> Optional.empty(); // needs NOT NULL columns: its own scan; not rewritten
                case EXCLUSION -> Optional.empty(); // PostgreSQL has no NOT VALID or USING INDEX form for it
            };
        }
        if (effect instanceof Effect.CreateIndex c && !c.concurrently() && parsed instanceof CreateIndex ci) {
            return createIndex(ci, sql);
        }
        if (effect instanceof Effect.DropIndex d && !d.concurrently() && parsed instanceof Drop drop) {
            return dropIndex(drop);
        }
        return Optional.empty();
    }

    /**
     * A concurrent index build or drop written without {@code IF [NOT] EXISTS}, made safe to run again: an interrupted
     * {@code CREATE INDEX CONCURRENTLY} leaves an INVALID index behind and the changeset unrecorded, so its retry would
     * fail on the leftover (squawk's prefer-robust-stmts). Only for changesets that run outside a transaction: in
     * one, the statement is refused by the linter (concurrently-in-transaction) and must stay as written.
     */
    public static Optional<List<Step>> reRunnable(String statement) {
        return Single.of(statement).flatMap(StatementRewriter::reRunnable);
    }

    private static Optional<List<Step>> reRunnable(Single single) {
        String sql = single.sql();
        Statement parsed = single.parsed();
        if (single.effect() instanceof Effect.CreateIndex c && c.concurrently() && parsed instanceof CreateIndex ci
                && ci.getIndex() != null && ci.getIndex().getName() != null && !ci.isUsingIfNotExists()) {
            List<String> tokens = PgDialectShim.tokens(sql);
            int at = tokens == null ? -1 : indexOf(tokens, "CONCURRENTLY");
            if (at < 0) {
                return Optional.empty();
            }
            tokens.addAll(at + 1, List.of("IF", "NOT", "EXISTS"));
            return Optional.of(List.of(
                    new Step.DropIndexIfInvalid(qualified(ci.getTable(), ci.getIndex().getName())),
                    new Step.Run(String.join(" ", tokens))));
        }
        if (single.effect() instanceof Effect.DropIndex d && d.concurrently() && parsed instanceof Drop drop
                && !drop.isIfExists() && drop.getName() != null
                && (drop.getParameters() == null || drop.getParameters().stream().allMatch("CONCURRENTLY"::equalsIgnoreCase))) {
            return Optional.of(List.of(
                    new Step.Run("DROP INDEX CONCURRENTLY IF EXISTS " + drop.getName().getFullyQualifiedName())));
        }
        return Optional.empty();
    }

    /** Check NOT VALID (instant), VALIDATE (scan without blocking writes), SET NOT NULL (PG 12+ uses the check). */
    private static Optional<List<Step>> setNotNull(Alter a) {
        if (a.getAlterExpressions().size() != 1 || a.getAlterExpressions().get(0).getColDataTypeList().size() != 1) {
            return Optional.empty();
        }
        String table = a.getTable().getFullyQualifiedName();
        String column = a.getAlterExpressions().get(0).getColDataTypeList().get(0).getColumnName();
        String check = identifier("botshift_nn_" + unquoted(column));
        return Optional.of(List.of(
                Step.Run.housekeeping("ALTER TABLE " + table + " DROP CONSTRAINT IF EXISTS " + check),
                new Step.Run("ALTER TABLE " + table + " ADD CONSTRAINT " + check + " CHECK (" + column
                        + " IS NOT NULL) NOT VALID"),
                new Step.Run("ALTER TABLE " + table + " VALIDATE CONSTRAINT " + check),
                new Step.Run("ALTER TABLE " + table + " ALTER COLUMN " + column + " SET NOT NULL"),
                Step.Run.housekeeping("ALTER TABLE " + table + " DROP CONSTRAINT IF EXISTS " + check)));
    }

    private static Optional<List<Step>> notValidThenValidate(Alter a, String sql) {
        String name = constraintName(a);
        if (name == null) {
            return Optional.empty();
        }
        String table = a.getTable().getFullyQualifiedName();
        return Optional.of(List.of(
                // A NOT VALID leftover of an interrupted attempt would make the ADD fail; the changeset is not
                // recorded as run yet, so the constraint can only be that leftover.
                Step.Run.housekeeping("ALTER TABLE " + table + " DROP CONSTRAINT IF EXISTS " + name),
                new Step.Run(sql + " NOT VALID"),
                new Step.Run("ALTER TABLE " + table + " VALIDATE CONSTRAINT " + name)));
    }

    private static Optional<List<Step>> uniqueViaIndex(Alter a) {
        String name = constraintName(a);
        AlterExpression e = a.getAlterExpressions().get(0);
        List<String> columns = e.getIndex() != null ? e.getIndex().getColumnsNames() : e.getUkColumns();
        if (name == null || columns == null || columns.isEmpty()) {
            return Optional.empty();
        }
        Table table = a.getTable();
        String index = qualified(table, name);
        return Optional.of(List.of(
                new Step.DropIndexIfInvalid(index),
                new Step.Run("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS " + name + " ON "
                        + table.getFullyQualifiedName() + " (" + String.join(", ", columns) + ")"),
                new Step.Run("ALTER TABLE " + table.getFullyQualifiedName() + " ADD CONSTRAINT " + name
                        + " UNIQUE USING INDEX " + name)));
    }

    /** CONCURRENTLY (and IF NOT EXISTS, so a retry after a crash is harmless) inserted after INDEX. */
    private static Optional<List<Step>> createIndex(CreateIndex ci, String sql) {
        if (ci.getIndex() == null || ci.getIndex().getName() == null) {
            return Optional.empty();
        }
        List<String> tokens = PgDialectShim.tokens(sql);
        int at = tokens == null ? -1 : indexOf(tokens, "INDEX");
        if (at < 0) {
            return Optional.empty();
        }
        tokens.add(at + 1, "CONCURRENTLY");
        if (!is(tokens, at + 2, "IF")) {
            tokens.addAll(at + 2, List.of("IF", "NOT", "EXISTS"));
        }
        return Optional.of(List.of(
                new Step.DropIndexIfInvalid(qualified(ci.getTable(), ci.getIndex().getName())),
                new Step.Run(String.join(" ", tokens))));
    }

    private static Optional<List<Step>> dropIndex(Drop drop) {
        // DROP INDEX CONCURRENTLY takes one index and no CASCADE: anything else stays as written.
        boolean options = drop.getParameters() != null && !drop.getParameters().isEmpty();
        if (options || drop.getName() == null) {
            return Optional.empty();
        }
        return Optional.of(List.of(
                new Step.Run("DROP INDEX CONCURRENTLY IF EXISTS " + drop.getName().getFullyQualifiedName())));
    }

    private static String constraintName(Alter a) {
        if (a.getAlterExpressions().size() != 1) {
            return null;
        }
        AlterExpression e = a.getAlterExpressions().get(0);
        if (e.getIndex() != null && e.getIndex().getName() != null) {
            return e.getIndex().getName();
        }
        return e.getConstraintName();
    }

    /** An index lives in its table's schema. */
    private static String qualified(Table table, String name) {
        return table.getSchemaName() == null ? name : table.getSchemaName() + "." + name;
    }

    private static int indexOf(List<String> tokens, String word) {
        for (int i = 0; i < tokens.size(); i++) {
            if (is(tokens, i, word)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean is(List<String> tokens, int i, String word) {
        return i < tokens.size() && tokens.get(i).toUpperCase(Locale.ROOT).equals(word);
    }

    private static String unquoted(String name) {
        return name.replace("\"", "").toLowerCase(Locale.ROOT);
    }

    private static String identifier(String name) {
        return name.length() <= MAX_IDENTIFIER ? name : name.substring(0, MAX_IDENTIFIER);
    }

    /**
     * A statement the rewriter can judge: exactly one effect (the classifier's reading) and a parse (the rewrite's
     * material). Anything else runs as written.
     */
    private record Single(String sql, Effect effect, Statement parsed) {
        static Optional<Single> of(String statement) {
            String sql = withoutSemicolon(statement.strip());
            List<Effect> effects = SqlClassifier.classify(sql);
            if (effects.size() != 1) {
                return Optional.empty();
            }
            try {
                Statement parsed = SqlParser.parse(PgDialectShim.normalize(sql).sql());
                return Optional.of(new Single(sql, effects.get(0), parsed));
            } catch (JSQLParserException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    private static String withoutSemicolon(String sql) {
        return sql.endsWith(";") ? sql.substring(0, sql.length() - 1).strip() : sql;
    }
}
