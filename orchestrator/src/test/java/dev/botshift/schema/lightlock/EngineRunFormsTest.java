package dev.botshift.schema.lightlock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.schema.LintReport;
import dev.botshift.schema.LintReport.Finding;
import dev.botshift.schema.lint.ChangelogLinter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The linter judges a changeset the engine rewrites by the statements it will run, and every other one as written. */
class EngineRunFormsTest {
    private static final Set<String> REWRITTEN = Set.of("u-index-blocking", "x-create-index", "u-drop-index",
            "u-check-validated", "u-fk-validated", "x-fk-validated", "u-unique", "y-unique", "u-set-not-null",
            "x-add-not-null-constraint");
    private static LintReport asWritten;
    private static LintReport asRun;

    @BeforeAll
    static void lintTheCorpusBothWays() throws URISyntaxException {
        Path root = resource("/changelogs/lint/root.yaml");
        asWritten = new ChangelogLinter().lint(root);
        asRun = new ChangelogLinter(new EngineRunForms()).lint(root);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // lock-only refusals disappear: the engine runs these without blocking writes
            "u-index-blocking, none", "x-create-index, none", "u-drop-index, none",
            "u-check-validated, none", "u-fk-validated, none", "x-fk-validated, none",
            "u-unique, none", "y-unique, none",
            // what would break the old version stays refused, without findings for the rewrite's own housekeeping
            "u-set-not-null, expand-set-not-null", "x-add-not-null-constraint, expand-set-not-null"})
    void aRewrittenChangesetIsJudgedAsItWillRun(String changeSet, String rule) {
        List<String> rules = rules(asRun, changeSet);
        if (rule.equals("none")) {
            assertThat(rules).as("findings of %s as it will run", changeSet).isEmpty();
        } else {
            assertThat(rules).as("findings of %s as it will run", changeSet).containsExactly(rule);
        }
        assertThat(rules(asWritten, changeSet)).as("as written it is refused").isNotEmpty();
    }

    @Test
    void everyOtherChangesetIsJudgedAsWritten() {
        Set<String> ids = new TreeSet<>();
        asWritten.findings().forEach(f -> ids.add(f.changeSetId()));
        asRun.findings().forEach(f -> ids.add(f.changeSetId()));
        ids.removeAll(REWRITTEN);
        assertThat(ids).isNotEmpty();
        for (String id : ids) {
            assertThat(rules(asRun, id)).as(id).isEqualTo(rules(asWritten, id));
        }
    }

    @Test
    void anOptedOutOrUnrewritableIndexIsJudgedAsWrittenAndNotNullInContractIsClean() throws URISyntaxException {
        Path root = resource("/changelogs/engineforms/root.yaml");
        LintReport report = new ChangelogLinter(new EngineRunForms()).lint(root);
        LintReport written = new ChangelogLinter().lint(root);

        assertThat(rules(report, "index-rewritten")).isEmpty();
        assertThat(rules(written, "index-rewritten")).containsExactly("expand-create-index");
        assertThat(rules(report, "index-opted-out")).containsExactly("expand-create-index");
        // JSqlParser cannot read an unnamed CREATE INDEX and the engine cannot rewrite it: judged as written
        assertThat(rules(report, "index-unnamed")).isEqualTo(rules(written, "index-unnamed")).isNotEmpty();
        assertThat(rules(report, "not-null-rewritten")).isEmpty();
    }

    private static List<String> rules(LintReport report, String changeSet) {
        return report.findings().stream().filter(f -> f.changeSetId().equals(changeSet)).map(Finding::rule).toList();
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(EngineRunFormsTest.class.getResource(name).toURI());
    }
}
