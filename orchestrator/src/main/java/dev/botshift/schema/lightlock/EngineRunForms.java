package dev.botshift.schema.lightlock;

import dev.botshift.schema.lint.ChangeClassifier;
import dev.botshift.schema.lint.Effect;
import dev.botshift.schema.lint.RunForms;
import dev.botshift.schema.lint.SqlClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.database.core.PostgresDatabase;

/**
 * The linter's view of the lock-light forms: a changeset the engine rewrites is judged by the statements it will
 * run, leaving out the rewrites' own housekeeping steps ({@link Step.Run#housekeeping()}). A change of that
 * changeset that is not rewritten keeps its own classification (a typed {@code dropForeignKeyConstraint} is a
 * dropped foreign key, whether or not the changeset also re-adds one), so a change is judged the same alone or next
 * to a rewritten one.
 */
public final class EngineRunForms implements RunForms {
    /** No connection: Liquibase renders typed changes to PostgreSQL SQL offline, as {@code updateSql} does. */
    private final PostgresDatabase offline = new PostgresDatabase();

    @Override
    public Optional<List<Effect>> effects(ChangeSet changeSet) {
        try {
            if (ChangeSetPlanner.plan(changeSet, offline).isEmpty()) {
                return Optional.empty();
            }
            List<Effect> effects = new ArrayList<>();
            for (Change change : changeSet.getChanges()) {
                effects.addAll(effects(change, changeSet));
            }
            return Optional.of(effects);
        } catch (RuntimeException e) {
            return Optional.empty(); // cannot render it offline: judge it as written, which is never more lenient
        }
    }

    private List<Effect> effects(Change change, ChangeSet changeSet) {
        List<String> statements = ChangeSetPlanner.statements(change, changeSet, offline);
        List<Optional<List<Step>>> light = statements.stream()
                .map(statement -> ChangeSetPlanner.lightForm(statement, changeSet)).toList();
        if (light.stream().noneMatch(Optional::isPresent)) {
            return ChangeClassifier.classify(change, changeSet);
        }
        List<Effect> out = new ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            out.addAll(light.get(i).map(EngineRunForms::effectsOf).orElse(SqlClassifier.classify(statements.get(i))));
        }
        return out;
    }

    private static List<Effect> effectsOf(List<Step> steps) {
        return steps.stream()
                .filter(step -> step instanceof Step.Run run && !run.housekeeping())
                .flatMap(step -> SqlClassifier.classify(((Step.Run) step).sql()).stream())
                .toList();
    }
}
