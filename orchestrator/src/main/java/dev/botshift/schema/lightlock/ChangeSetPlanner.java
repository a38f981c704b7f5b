package dev.botshift.schema.lightlock;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import liquibase.change.AbstractSQLChange;
import liquibase.change.Change;
import liquibase.change.core.LoadDataChange;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.sql.Sql;
import liquibase.sqlgenerator.SqlGeneratorFactory;
import liquibase.statement.SqlStatement;
import liquibase.util.StringUtil;

/**
 * Decides whether a changeset runs in its lock-light form and, if so, lists its statements. Raw SQL is split exactly
 * as Liquibase splits it; typed changes ({@code addNotNullConstraint}, {@code addForeignKeyConstraint},
 * {@code addUniqueConstraint}, {@code createIndex}, {@code dropIndex}...) are first rendered to PostgreSQL SQL by
 * Liquibase's own generators. Each statement then goes through {@link StatementRewriter}; statements without a
 * lock-light form are kept, in order, as written.
 */
public final class ChangeSetPlanner {
    /** Written in a changeset's comment, it runs the changeset exactly as Liquibase would (one transaction). */
    public static final String OPT_OUT = "botshift:plain";

    private ChangeSetPlanner() {
    }

    /** The steps, or empty when the changeset runs through Liquibase unchanged. */
    public static Optional<List<Step>> plan(ChangeSet changeSet, Database database) {
        if (changeSet.getComments() != null && changeSet.getComments().contains(OPT_OUT)) {
            return Optional.empty();
        }
        List<Step> steps = new ArrayList<>();
        boolean rewritten = false;
        for (Change change : changeSet.getChanges()) {
            List<String> statements = statements(change, changeSet, database);
            if (statements == null) {
                return Optional.empty(); // not expressible as plain SQL (e.g. loadData): Liquibase runs it
            }
            for (String statement : statements) {
                Optional<List<Step>> light = lightForm(statement, changeSet);
                rewritten |= light.isPresent();
                steps.addAll(light.orElse(List.of(new Step.Run(withoutSemicolon(statement)))));
            }
        }
        return rewritten ? Optional.of(List.copyOf(steps)) : Optional.empty();
    }

    /**
     * The steps replacing one statement of the changeset, or empty: the lock-light form; in a changeset that runs
     * outside a transaction, also the re-runnable form of a concurrent index build or drop.
     */
    static Optional<List<Step>> lightForm(String statement, ChangeSet changeSet) {
        Optional<List<Step>> light = StatementRewriter.rewrite(statement);
        return light.isPresent() || changeSet.isRunInTransaction() ? light : StatementRewriter.reRunnable(statement);
    }

    /** The SQL a change runs, or null when it is not a fixed list of SQL statements. */
    public static List<String> statements(Change change, ChangeSet changeSet, Database database) {
        if (change instanceof AbstractSQLChange sql) {
            if (sql.getSql() == null) {
                return List.of();
            }
            boolean strip = !Boolean.FALSE.equals(sql.isStripComments());
            boolean split = !Boolean.FALSE.equals(sql.isSplitStatements());
            return List.of(StringUtil.processMultiLineSQL(sql.getSql(), strip, split, sql.getEndDelimiter(), changeSet))
                    .stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        if (change instanceof LoadDataChange || change.generateStatementsVolatile(database)) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (SqlStatement statement : change.generateStatements(database)) {
            for (Sql sql : SqlGeneratorFactory.getInstance().generateSql(statement, database)) {
                out.add(sql.toSql());
            }
        }
        return out;
    }

    private static String withoutSemicolon(String sql) {
        String s = sql.strip();
        return s.endsWith(";") ? s.substring(0, s.length() - 1).strip() : s;
    }
}
