package dev.botshift.schema.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.schema.LintReport;
import dev.botshift.schema.LintReport.Finding;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The linter against a corpus of safe and unsafe changesets in formatted SQL, XML, YAML and JSON. */
class LintCorpusTest {
    private static LintReport report;

    @BeforeAll
    static void lintCorpus() throws URISyntaxException {
        Path root = Path.of(LintCorpusTest.class.getResource("/changelogs/lint/root.yaml").toURI());
        report = new ChangelogLinter().lint(root);
    }

    @ParameterizedTest(name = "{0} in {1} -> {2}")
    @CsvSource({
            // changeset id,                 file,        expected rule (none = no finding), accepted
            "base-orders,                    baseline.sql, none, false",
            "s-add-nullable,                 corpus.sql,  none, false",
            "s-add-not-null-default,         corpus.sql,  none, false",
            "u-add-not-null-no-default,      corpus.sql,  expand-add-not-null-column, false",
            "u-drop-column,                  corpus.sql,  expand-drop-column, false",
            "u-drop-table,                   corpus.sql,  expand-drop-table, false",
            "u-rename-column,                corpus.sql,  expand-rename-column, false",
            "u-rename-table,                 corpus.sql,  expand-rename-table, false",
            "u-type-change,                  corpus.sql,  expand-column-type, false",
            "s-widen-varchar,                corpus.sql,  none, false",
            "s-varchar-to-text,              corpus.sql,  none, false",
            "s-widen-numeric,                corpus.sql,  none, false",
            "u-set-not-null,                 corpus.sql,  expand-set-not-null, false",
            "s-check-not-valid,              corpus.sql,  none, false",
            "u-check-validated,              corpus.sql,  expand-add-check, false",
            "s-fk-not-valid,                 corpus.sql,  none, false",
            "u-fk-validated,                 corpus.sql,  expand-add-foreign-key, false",
            "u-unique,                       corpus.sql,  expand-add-unique, false",
            "s-index-concurrently,           corpus.sql,  none, false",
            "s-unique-using-index,           corpus.sql,  none, false",
            "u-index-blocking,               corpus.sql,  expand-create-index, false",
            "u-concurrently-in-transaction,  corpus.sql,  concurrently-in-transaction, false",
            "u-drop-index,                   corpus.sql,  expand-drop-index, false",
            "s-drop-index-concurrently,      corpus.sql,  none, false",
            "s-new-table-index,              corpus.sql,  none, false",
            "s-backfill,                     corpus.sql,  none, false",
            "s-contract-validate,            corpus.sql,  none, false",
            "s-contract-drop,                corpus.sql,  none, false",
            "w-contract-additive,            corpus.sql,  contract-additive, false",
            "e-no-label,                     corpus.sql,  phase-label-missing, false",
            "e-both-labels,                  corpus.sql,  phase-label-both, false",
            "w-unclassified,                 corpus.sql,  expand-unclassified-statement, false",
            "u-cluster,                      corpus.sql,  table-rewrite, false",
            "a-accepted-drop,                corpus.sql,  expand-drop-column, true",
            "u-accept-without-reason,        corpus.sql,  expand-drop-column, false",
            "x-add-nullable,                 corpus.xml,  none, false",
            "x-add-not-null-no-default,      corpus.xml,  expand-add-not-null-column, false",
            "x-add-not-null-with-default,    corpus.xml,  none, false",
            "x-drop-column,                  corpus.xml,  expand-drop-column, false",
            "x-fk-not-valid,                 corpus.xml,  none, false",
            "x-fk-validated,                 corpus.xml,  expand-add-foreign-key, false",
            "x-create-index,                 corpus.xml,  expand-create-index, false",
            "x-modify-widen,                 corpus.xml,  none, false",
            "x-modify-narrow,                corpus.xml,  expand-column-type, false",
            "x-add-not-null-constraint,      corpus.xml,  expand-set-not-null, false",
            "x-rename-table,                 corpus.xml,  expand-rename-table, false",
            "x-accepted,                     corpus.xml,  expand-drop-table, true",
            "x-contract-index,               corpus.xml,  contract-additive, false",
            "y-add-nullable,                 corpus.yaml, none, false",
            "y-drop-table,                   corpus.yaml, expand-drop-table, false",
            "y-unique,                       corpus.yaml, expand-add-unique, false",
            "y-sql-drop-column,              corpus.yaml, expand-drop-column, false",
            "y-contract-create-table,        corpus.yaml, contract-additive, false",
            "y-no-label,                     corpus.yaml, phase-label-missing, false",
            "j-drop-column,                  corpus.json, expand-drop-column, false",
            "j-add-nullable,                 corpus.json, none, false",
    })
    void classifiesEachChangeset(String changeSetId, String file, String rule, boolean accepted) {
        List<Finding> findings = report.findings().stream().filter(f -> f.changeSetId().equals(changeSetId)).toList();
        if (rule.equals("none")) {
            assertThat(findings).as("findings of %s", changeSetId).isEmpty();
            return;
        }
        assertThat(findings).as("findings of %s", changeSetId).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(rule);
            assertThat(f.file()).isEqualTo(file);
            assertThat(f.accepted()).isEqualTo(accepted);
            assertThat(f.why()).isNotBlank();
            assertThat(f.instead()).isNotBlank();
        });
    }

    @Test
    void refusesTheCorpusAndRendersEveryFinding() {
        assertThat(report.refused()).isTrue();
        String text = LintReportText.format(report);
        assertThat(text).contains("[expand-drop-column] changeset u-drop-column (corpus.sql)")
                .contains("ACCEPTED ERROR [expand-drop-column] changeset a-accepted-drop")
                .contains("statement 'ALTER TABLE orders DISABLE TRIGGER ALL'")
                .contains("REFUSED");
    }

    @Test
    void sampleBotReleaseTwoHasNoError() {
        Path changelog = Path.of(System.getProperty("botshift.repo"), "examples/sentiment-bot/db/changelog-v2.yaml");
        LintReport sample = new ChangelogLinter().lint(changelog);
        assertThat(sample.findings()).filteredOn(f -> f.severity() == Finding.Severity.ERROR).isEmpty();
        assertThat(sample.refused()).isFalse();
    }
}
