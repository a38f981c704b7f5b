package dev.botshift.schema.lightlock;

import dev.botshift.schema.lint.Effect;
import dev.botshift.schema.lint.RunForms;
import dev.botshift.schema.lint.SqlClassifier;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import liquibase.changelog.ChangeSet;
import liquibase.database.core.PostgresDatabase;

/**
 * The linter's view of the lock-light forms: a changeset the engine rewrites is judged by the statements it will
 * run. The rewrites' own housekeeping (dropping a leftover of an interrupted attempt, or the temporary NOT NULL check
 * once {@code SET NOT NULL} has used it) drops only constraints the same changeset adds, so it is not a finding.
 */
public final class EngineRunForms implements RunForms {
    private static final Pattern ADDED = Pattern.compile("(?i)\\bADD\\s+CONSTRAINT\\s+(\"[^\"]+\"|\\S+)");

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
        Set<String> added = new HashSet<>();
        for (Step step : steps) {
            if (step instanceof Step.Run run) {
                Matcher m = ADDED.matcher(run.sql());
                while (m.find()) {
                    added.add("constraint " + m.group(1).toLowerCase(Locale.ROOT));
                }
            }
        }
        return steps.stream()
                .filter(Step.Run.class::isInstance)
                .flatMap(step -> SqlClassifier.classify(((Step.Run) step).sql()).stream())
                .filter(e -> !(e instanceof Effect.DropObject d && added.contains(d.what().toLowerCase(Locale.ROOT))))
                .toList();
    }
}
