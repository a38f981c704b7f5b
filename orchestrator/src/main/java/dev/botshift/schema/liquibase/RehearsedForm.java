package dev.botshift.schema.liquibase;

import dev.botshift.schema.lint.Effect;
import dev.botshift.schema.lint.SqlClassifier;
import java.util.List;

/**
 * Which contract statements the rehearsal runs, judged on the parsed statement: those that change what a statement
 * may name (drops, renames, new tables and objects), which are catalog changes that take a moment. The rest changes
 * no statement's validity and would only cost green: data changes (a backfill holds row locks), NOT NULL and
 * validated constraints (scan the table under ACCESS EXCLUSIVE), type changes (rewrite it), indexes, transaction
 * control and whatever cannot be classified. Those are counted, not run.
 */
final class RehearsedForm {
    private RehearsedForm() {
    }

    static boolean runs(String statement) {
        List<Effect> effects = SqlClassifier.classify(statement);
        boolean shapes = false;
        for (Effect e : effects) {
            if (e instanceof Effect.DropColumn || e instanceof Effect.DropTable || e instanceof Effect.RenameColumn
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
