package dev.botshift.schema.lightlock;

import dev.botshift.schema.lint.Effect;
import dev.botshift.schema.lint.RunForms;
import dev.botshift.schema.lint.SqlClassifier;
import java.util.List;
import java.util.Optional;
import liquibase.changelog.ChangeSet;
import liquibase.database.core.PostgresDatabase;

/**
 * The linter's view of the lock-light forms: a changeset the engine rewrites is judged by the statements it will
 * run, leaving out the rewrites' own housekeeping steps ({@link Step.Run#housekeeping()}).
 */
public final class EngineRunForms implements RunForms {
    /** No connection: Liquibase renders typed changes to PostgreSQL SQL offline, as {@code updateSql} does. */
    private final PostgresDatabase offline = new PostgresDatabase();

    @Override
    public Optional<List<Effect>> effects(ChangeSet changeSet) {
        Optional<List<Step>> steps;
        try {
            steps = ChangeSetPlanner.plan(changeSet, offline);
        } catch (RuntimeException e) {
            return Optional.empty(); // cannot render it offline: judge it as written, which is never more lenient
        }
        return steps.map(EngineRunForms::effectsOf);
    }

    private static List<Effect> effectsOf(List<Step> steps) {
        return steps.stream()
                .filter(step -> step instanceof Step.Run run && !run.housekeeping())
                .flatMap(step -> SqlClassifier.classify(((Step.Run) step).sql()).stream())
                .toList();
    }
}
