package dev.botshift.schema.lint;

import dev.botshift.core.InvalidInputException;
import dev.botshift.schema.LintReport;
import dev.botshift.schema.LintReport.Finding;
import dev.botshift.schema.SchemaPhase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.exception.LiquibaseException;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ResourceAccessor;

/**
 * The offline safety linter: parses the changelog with Liquibase's own parser (XML, YAML, JSON, formatted SQL) and
 * checks every change of every changeset against the rules of its phase, in the form it will run (see
 * {@link RunForms}). See docs/linter.md.
 */
public final class ChangelogLinter {
    private final RunForms forms;

    /** Judges changesets as written, as plain Liquibase would run them. */
    public ChangelogLinter() {
        this(RunForms.AS_WRITTEN);
    }

    public ChangelogLinter(RunForms forms) {
        this.forms = forms;
    }

    public LintReport lint(Path rootChangelog) {
        DatabaseChangeLog changelog = parse(rootChangelog);
        List<Finding> findings = new ArrayList<>();
        SchemaKnowledge known = new SchemaKnowledge();
        for (ChangeSet changeSet : changelog.getChangeSets()) {
            findings.addAll(lintChangeSet(changeSet, known));
        }
        return new LintReport(rootChangelog.toString(), List.copyOf(findings));
    }

    private List<Finding> lintChangeSet(ChangeSet changeSet, SchemaKnowledge known) {
        String file = changeSet.getFilePath();
        Map<String, String> accepted = Acceptance.read(changeSet.getComments());
        List<PhaseRules.Hit> hits = new ArrayList<>();
        SchemaPhase phase = phase(changeSet, hits);
        Optional<List<Effect>> rewritten = forms.effects(changeSet);
        // a rewritten changeset runs statement by statement outside a transaction
        boolean inTransaction = rewritten.isEmpty() && changeSet.isRunInTransaction();
        List<Effect> effects = rewritten.orElseGet(() -> changeSet.getChanges().stream()
                .flatMap(change -> ChangeClassifier.classify(change, changeSet).stream()).toList());
        for (Effect effect : effects) {
            hits.addAll(PhaseRules.check(phase, effect, inTransaction, file, known));
            known.learn(effect, file);
        }
        return hits.stream().map(hit -> finding(changeSet, hit, accepted)).toList();
    }

    private static SchemaPhase phase(ChangeSet changeSet, List<PhaseRules.Hit> hits) {
        Set<String> labels = changeSet.getLabels() == null ? Set.of() : changeSet.getLabels().getLabels();
        boolean expand = labels.contains(SchemaPhase.EXPAND.label());
        boolean contract = labels.contains(SchemaPhase.CONTRACT.label());
        if (expand && contract) {
            hits.add(new PhaseRules.Hit(Rule.PHASE_LABEL_BOTH, "labels " + labels));
            return null;
        }
        if (!expand && !contract) {
            hits.add(new PhaseRules.Hit(Rule.PHASE_LABEL_MISSING, labels.isEmpty() ? "no labels" : "labels " + labels));
            return null;
        }
        return expand ? SchemaPhase.EXPAND : SchemaPhase.CONTRACT;
    }

    private static Finding finding(ChangeSet changeSet, PhaseRules.Hit hit, Map<String, String> accepted) {
        Rule rule = hit.rule();
        String reason = rule.acceptable() ? accepted.get(rule.id()) : null;
        String why = hit.detail() + ": " + rule.why() + (reason == null ? "" : " (accepted: " + reason + ")");
        return new Finding(changeSet.getId(), changeSet.getFilePath(), rule.id(), rule.severity(), why,
                rule.instead(), reason != null);
    }

    /** The changelog as Liquibase parses it (all includes), in the Botshift scope. */
    public static DatabaseChangeLog parse(Path rootChangelog) {
        try {
            return LiquibaseEnvironment.run(rootChangelog, Map.of(), () -> {
                ResourceAccessor accessor = Scope.getCurrentScope().getResourceAccessor();
                String name = LiquibaseEnvironment.logicalName(rootChangelog);
                return ChangeLogParserFactory.getInstance().getParser(name, accessor)
                        .parse(name, new ChangeLogParameters(), accessor);
            });
        } catch (InvalidInputException e) {
            throw e;
        } catch (LiquibaseException e) {
            throw new InvalidInputException("changelog " + rootChangelog + " cannot be read: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new InvalidInputException("changelog " + rootChangelog + " cannot be read: " + e, e);
        }
    }
}
