package dev.botshift.schema.lint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.SetStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.sequence.AlterSequence;
import net.sf.jsqlparser.statement.comment.Comment;
import net.sf.jsqlparser.statement.create.function.CreateFunction;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.sequence.CreateSequence;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.grant.Grant;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.Update;

/**
 * Classifies one SQL statement (already split by Liquibase): the PostgreSQL utility forms JSqlParser cannot read on
 * their tokens ({@link UtilityStatements}), everything else with JSqlParser, and a statement JSqlParser cannot parse
 * by its leading tokens where they say enough ({@link Unparsed}).
 */
public final class SqlClassifier {

    private SqlClassifier() {
    }

    public static List<Effect> classify(String statement) {
        Words words = Words.of(statement);
        if (words != null && words.size() > 0) {
            List<Effect> utility = UtilityStatements.classify(words, statement);
            if (utility != null) {
                return utility;
            }
        }
        PgDialectShim.Normalized n = PgDialectShim.normalize(statement);
        Statement parsed;
        try {
            parsed = SqlParser.parse(n.sql());
        } catch (JSQLParserException | RuntimeException e) {
            return Unparsed.classify(words, statement);
        }
        if (parsed instanceof Alter a) {
            List<Effect> effects = AlterClassifier.classify(a, n, statement);
            if (words != null && effects.stream().anyMatch(Effect.Unclassified.class::isInstance)) {
                List<Effect> byTokens = AlterTableClauses.statement(words, statement);
                return byTokens == null ? effects : byTokens;
            }
            return effects;
        }
        return List.of(single(parsed, n, words, statement));
    }

    private static Effect single(Statement parsed, PgDialectShim.Normalized n, Words words, String statement) {
        if (parsed instanceof CreateTable c) {
            return createTable(c);
        }
        if (parsed instanceof CreateIndex c) {
            String type = c.getIndex().getType();
            return new Effect.CreateIndex(name(c.getTable()), Names.plain(c.getIndex().getName()), n.concurrently(),
                    type != null && type.toUpperCase(Locale.ROOT).contains("UNIQUE"));
        }
        if (parsed instanceof Drop d) {
            return drop(d, n);
        }
        if (parsed instanceof Insert i) {
            return i.getSelect() != null && !(i.getSelect() instanceof Values)
                    ? new Effect.Backfill(name(i.getTable()), "INSERT ... SELECT")
                    : new Effect.Harmless(name(i.getTable()), "insert");
        }
        if (parsed instanceof Update u) {
            return new Effect.Backfill(name(u.getTable()), "UPDATE");
        }
        if (parsed instanceof Delete d) {
            return new Effect.Backfill(name(d.getTable()), "DELETE");
        }
        if (parsed instanceof Select) {
            String call = words == null ? null : Functions.sideEffect(words);
            return call == null ? new Effect.Harmless(null, "SELECT")
                    : new Effect.Unclassified(null, statement, "a SELECT calling " + call + "(), which may change the"
                    + " schema or the data (as TimescaleDB's create_hypertable does)");
        }
        if (parsed instanceof SetStatement || parsed instanceof Comment || parsed instanceof Grant
                || parsed instanceof AlterSequence) {
            return new Effect.Harmless(null, parsed.getClass().getSimpleName());
        }
        if (parsed instanceof Truncate t) {
            return new Effect.Truncate(name(t.getTable()), t.getCascade());
        }
        if (parsed instanceof CreateView || parsed instanceof CreateSequence || parsed instanceof CreateFunction) {
            return new Effect.Additive(null, parsed.getClass().getSimpleName());
        }
        return new Effect.Unclassified(null, statement, parsed.getClass().getSimpleName() + " statements are not classified");
    }

    private static Effect createTable(CreateTable c) {
        Map<String, String> types = new LinkedHashMap<>();
        if (c.getColumnDefinitions() != null) {
            c.getColumnDefinitions().stream().filter(d -> d.getColDataType() != null) // PostgreSQL refuses those
                    .forEach(d -> types.put(Names.plain(d.getColumnName()), d.getColDataType().toString()));
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
}
