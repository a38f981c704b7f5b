package dev.botshift.schema.liquibase;

import dev.botshift.schema.SchemaPhase;
import dev.botshift.schema.lint.Effect;
import dev.botshift.schema.lint.SqlClassifier;
import java.util.List;

/**
 * Which statements of a phase a rehearsal runs, judged on the parsed statement: those that change what a statement
 * may name (drops, renames, new tables and objects; in the expand also new columns, which can make an unqualified
 * name ambiguous or capture a correlated subquery's outer column), which are catalog changes that take a moment. The
 * rest changes no statement's validity and would only cost the serving version: data changes (a backfill holds row
 * locks), NOT NULL and validated constraints (scan the table under ACCESS EXCLUSIVE), type changes (may rewrite it),
 * a column whose adding rewrites the table, indexes, transaction control and whatever cannot be classified. Those are
 * counted, not run.
 */
final class RehearsedForm {
    private RehearsedForm() {
    }

    static boolean runs(String statement, SchemaPhase phase) {
        List<Effect> effects = SqlClassifier.classify(statement);
        boolean shapes = false;
        for (Effect e : effects) {
            if (phase == SchemaPhase.EXPAND && e instanceof Effect.AddColumn a && a.rewrites() == null) {
                shapes = true;
            } else if (e instanceof Effect.DropColumn || e instanceof Effect.DropTable || e instanceof Effect.RenameColumn
                    || e instanceof Effect.RenameTable || e instanceof Effect.RenameObject
                    || e instanceof Effect.DropObject) {
                shapes = true;
            } else if (!(e instanceof Effect.CreateTable || e instanceof Effect.Additive
                    || e instanceof Effect.DropConstraint || e instanceof Effect.DropNotNull)) {
                return false;
            }
        }
        return shapes || effects.stream().anyMatch(e -> e instanceof Effect.CreateTable || e instanceof Effect.Additive);
    }
}
