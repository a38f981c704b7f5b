package dev.botshift.schema.lint;

import dev.botshift.schema.ChangelogSource;
import dev.botshift.schema.LintReport;
import dev.botshift.schema.LintReport.Finding;
import dev.botshift.schema.SchemaPhase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import liquibase.changelog.ChangeSet;

/**
 * The offline safety linter: reads the changelog with Liquibase's own parser (XML, YAML, JSON, formatted SQL; see
 * {@link ChangelogReader}) and checks every change of every changeset that runs on PostgreSQL against the rules of
 * its phase, in the form it will run (see {@link RunForms}). Linear in the number of changesets. See docs/linter.md.
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
        return lint(ChangelogSource.of(rootChangelog));
    }

    public LintReport lint(ChangelogSource source) {
        return lint(source, Set.of());
    }

    /**
     * Lints knowing which changesets the database has already run ({@code id::author::file}, as DATABASECHANGELOG
     * records them): those are not judged again (they ran), and the tables they created are live even when a later
     * changeset of the same file changes them (a changelog that is one file growing release by release).
     */
    public LintReport lint(ChangelogSource source, Set<String> applied) {
        return ChangelogReader.forLint(source, read -> lint(source, read, applied));
    }

    /** The key DATABASECHANGELOG identifies a changeset by. */
    public static String key(String id, String author, String file) {
        return id + "::" + author + "::" + file;
    }

    private LintReport lint(ChangelogSource source, ChangelogReader.Read read, Set<String> applied) {
        List<Finding> findings = new ArrayList<>();
        List<LintReport.Skipped> skipped = new ArrayList<>();
        SchemaKnowledge known = new SchemaKnowledge();
        WrittenValues unfilled = new WrittenValues(source);
        // Liquibase itself leaves out a changeset whose dbms attribute excludes PostgreSQL
        for (ChangeSet changeSet : read.changelog().getSkippedChangeSets()) {
            skipped.add(new LintReport.Skipped(changeSet.getId(), changeSet.getFilePath(),
                    "dbms: " + String.join(",", changeSet.getDbmsSet())));
        }
        for (ChangeSet changeSet : read.changelog().getChangeSets()) {
            String notForPostgres = Applicability.skipped(changeSet);
            if (notForPostgres != null) {
                skipped.add(new LintReport.Skipped(changeSet.getId(), changeSet.getFilePath(), notForPostgres));
            } else if (applied.contains(key(changeSet.getId(), changeSet.getAuthor(), changeSet.getFilePath()))) {
                learnOnly(changeSet, known);
            } else if (Applicability.preconditions(changeSet) == Applicability.Verdict.HALTS) {
                findings.add(finding(changeSet, null, new PhaseRules.Hit(Rule.PRECONDITION_HALTS, "preconditions"),
                        Map.of()));
            } else {
                findings.addAll(lintChangeSet(changeSet, known, source.parameters().values(), unfilled));
            }
        }
        for (String pattern : read.unusedPhasePatterns()) {
            Rule rule = Rule.PHASES_PATTERN_UNUSED;
            findings.add(new Finding("-", String.valueOf(source.phases()), rule.id(), rule.severity(),
                    "pattern '" + pattern + "': " + rule.why(), rule.instead(), false));
        }
        return new LintReport(source.toString(), findings, skipped);
    }

    private List<Finding> lintChangeSet(ChangeSet changeSet, SchemaKnowledge known, Collection<String> parameters,
                                        WrittenValues unfilled) {
        String file = changeSet.getFilePath();
        Map<String, String> accepted = Acceptance.read(changeSet.getComments());
        List<PhaseRules.Hit> hits = new ArrayList<>();
        SchemaPhase phase = phase(changeSet, hits);
        Optional<List<Effect>> rewritten = forms.effects(changeSet);
        // a rewritten changeset runs statement by statement outside a transaction
        boolean inTransaction = rewritten.isEmpty() && changeSet.isRunInTransaction();
        List<Effect> effects = rewritten.orElseGet(() -> changeSet.getChanges().stream()
                .flatMap(change -> ChangeClassifier.classify(change, changeSet).stream()).toList());
        Effect lockHeld = null;
        for (Effect effect : effects) {
            hits.addAll(PhaseRules.check(phase, effect, inTransaction, file, known));
            if (inTransaction && phase != null && lockHeld != null && effect instanceof Effect.Backfill b
                    && !known.isNew(b.table(), file)) {
                hits.add(new PhaseRules.Hit(Rule.BACKFILL_WITH_DDL, b.what() + " on " + b.table() + " after "
                        + EffectText.describe(lockHeld)));
                lockHeld = null; // once per changeset is enough
            } else if (lockHeld == null && holdsLock(effect) && !known.isNew(PhaseRules.tableOf(effect, known), file)) {
                lockHeld = effect;
            }
            known.learn(effect, file);
        }
        WrittenPasswords.check(changeSet, parameters, unfilled).ifPresent(hits::add);
        return hits.stream().map(hit -> finding(changeSet, phase, hit, accepted)).toList();
    }

    /** What an applied changeset did, learned as live schema: its tables are not new to anyone. */
    private void learnOnly(ChangeSet changeSet, SchemaKnowledge known) {
        Optional<List<Effect>> rewritten = forms.effects(changeSet);
        List<Effect> effects = rewritten.orElseGet(() -> changeSet.getChanges().stream()
                .flatMap(change -> ChangeClassifier.classify(change, changeSet).stream()).toList());
        effects.forEach(e -> known.learn(e, SchemaKnowledge.LIVE));
    }

    /** A schema change on a table: its lock is held until the changeset's transaction ends. */
    private static boolean holdsLock(Effect e) {
        return e.table() != null && !(e instanceof Effect.Harmless || e instanceof Effect.Backfill
                || e instanceof Effect.Additive || e instanceof Effect.Unclassified || e instanceof Effect.CreateTable
                || e instanceof Effect.CreateIndex c && c.concurrently());
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

    private static Finding finding(ChangeSet changeSet, SchemaPhase phase, PhaseRules.Hit hit,
                                   Map<String, String> accepted) {
        Rule rule = hit.rule();
        String reason = rule.acceptable() ? accepted.get(rule.id()) : null;
        String why = hit.detail() + ": " + rule.why() + (reason == null ? "" : " (accepted: " + reason + ")");
        return new Finding(changeSet.getId(), changeSet.getFilePath(), rule.id(), rule.severity(phase), why,
                rule.instead(), reason != null);
    }
}
