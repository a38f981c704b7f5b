package dev.botshift.schema.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.InvalidInputException;
import dev.botshift.schema.ChangelogSource;
import dev.botshift.schema.LintReport;
import dev.botshift.schema.LintReport.Finding;
import dev.botshift.schema.lightlock.EngineRunForms;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real-world changelogs (issue 18, 1b): legacy XSDs, custom changes, search paths, parameters, other databases. */
class LegacyChangelogTest {
    @TempDir
    Path dir;

    @Test
    void anOldXsdRejectingLabelsIsExplainedInOneLine() {
        assertThatThrownBy(() -> lint(ChangelogSource.of(legacy("old-xsd-labels.xml"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("changelog " + legacy("old-xsd-labels.xml") + " cannot be read: old-xsd-labels.xml line 6:"
                        + " the XML schema this changelog declares (an old dbchangelog XSD) has no 'labels' attribute;"
                        + " give the phases in a phases file instead, no edit needed (--phases, plan: database.phases),"
                        + " or declare dbchangelog-latest.xsd");
    }

    @Test
    void aPhasesFileGivesALegacyChangelogItsPhasesWithoutAnEdit() {
        Path changelog = legacy("old-xsd.xml");
        LintReport unlabelled = lint(ChangelogSource.of(changelog));
        assertThat(rules(unlabelled, "1.0.0-person")).containsExactly("phase-label-missing");

        LintReport report = lint(new ChangelogSource(changelog, List.of(), List.of(), Map.of(),
                legacy("old-xsd-phases.yaml")));
        assertThat(rules(report, "1.0.0-person")).isEmpty();
        assertThat(rules(report, "1.1.0-add-email")).isEmpty();
        assertThat(rules(report, "1.1.0-widen-name")).as("varchar(50) to varchar(200) in expand").isEmpty();
        assertThat(rules(report, "2.0.0-drop-legacy-code")).as("a drop in contract").isEmpty();
        assertThat(rules(report, "2.0.0-unlisted")).as("file::id pattern, ? wildcard").isEmpty();
        assertThat(report.findings()).filteredOn(f -> f.rule().equals("phases-pattern-unused")).singleElement()
                .satisfies(f -> assertThat(f.why()).contains("contract: 3.0.0-*"));
        assertThat(report.refused()).isFalse();
    }

    @Test
    void aChangesetInBothPhasesOfThePhasesFileIsRefused() throws Exception {
        Path phases = java.nio.file.Files.writeString(dir.resolve("both.yaml"), "expand: ['1.*']\ncontract: ['1.1.0-*']\n");
        LintReport report = lint(new ChangelogSource(legacy("old-xsd.xml"), List.of(), List.of(), Map.of(), phases));
        assertThat(rules(report, "1.1.0-add-email")).containsExactly("phase-label-both");
        assertThat(rules(report, "1.0.0-person")).isEmpty();
    }

    @Test
    void aMalformedPhasesFileIsRefusedNamingItAndTheField() throws Exception {
        Path phases = java.nio.file.Files.writeString(dir.resolve("bad.yaml"), "expand: '1.*'\n");
        assertThatThrownBy(() -> lint(new ChangelogSource(legacy("old-xsd.xml"), List.of(), List.of(), Map.of(), phases)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("phases file " + phases + ": expand: expected a list of changeset id patterns");
        Path unknown = java.nio.file.Files.writeString(dir.resolve("unknown.yaml"), "expnad: ['1.*']\n");
        assertThatThrownBy(() -> lint(new ChangelogSource(legacy("old-xsd.xml"), List.of(), List.of(), Map.of(), unknown)))
                .hasMessageContaining("expnad: unknown field (expected expand or contract)");
    }

    @Test
    void aCustomChangeWithoutItsClassLeavesOnlyThatChangesetUnclassified() {
        LintReport report = lint(ChangelogSource.of(legacy("custom-change.xml")));
        assertThat(report.findings()).filteredOn(f -> f.changeSetId().equals("migrate-data")).singleElement()
                .satisfies(f -> {
                    assertThat(f.rule()).isEqualTo("unclassified-statement");
                    assertThat(f.why()).contains("customChange com.example.liquibase.MigratePeople")
                            .contains("not on the classpath").contains("--classpath");
                });
        assertThat(rules(report, "drop-in-expand")).as("the rest is linted").containsExactly("expand-drop-table");
    }

    @Test
    void classpathRelativeIncludesNeedTheSearchPathAndSayIt() {
        Path master = legacy("src/main/resources/db/changelog/master.xml");
        assertThatThrownBy(() -> lint(ChangelogSource.of(master)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("included file db/changelog/changes/001-person.xml was not found")
                .hasMessageContaining("--search-path")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("Exception"));

        LintReport report = lint(new ChangelogSource(master, List.of(legacy("src/main/resources")), List.of(),
                Map.of("prefix", "app_"), null));
        assertThat(rules(report, "001-person")).isEmpty();
        assertThat(rules(report, "002-widen-name")).as("old type varchar(255) from a dbms property in another file")
                .isEmpty();
        assertThat(report.findings()).filteredOn(f -> f.changeSetId().equals("002-drop")).singleElement()
                .satisfies(f -> assertThat(f.why()).contains("app_person.name"));
        assertThat(report.findings()).filteredOn(f -> f.changeSetId().equals("002-narrow-unknown")).singleElement()
                .satisfies(f -> assertThat(f.why()).contains("old type is unknown")
                        .contains("no file of this changelog declares app_person.undeclared"));
    }

    @Test
    void changesetsNotForPostgresqlAreSkippedAndSaid() {
        LintReport report = lint(ChangelogSource.of(legacy("dbms.xml")));
        assertThat(report.skipped()).extracting(LintReport.Skipped::changeSetId)
                .containsExactly("oracle-only", "not-postgres", "mysql-precondition", "not-postgres-precondition",
                        "ignored");
        assertThat(report.skipped().get(0).reason()).isEqualTo("dbms: oracle,mssql");
        assertThat(rules(report, "halting-precondition")).containsExactly("precondition-halts");
        assertThat(rules(report, "postgres-precondition")).containsExactly("expand-drop-column");
        assertThat(rules(report, "undecidable-precondition")).containsExactly("expand-drop-column");
        assertThat(LintReportText.format(report))
                .contains("SKIPPED changeset oracle-only (dbms.xml): not for PostgreSQL, dbms: oracle,mssql")
                .contains("5 skipped (not for PostgreSQL)");
    }

    @Test
    void droppingAForeignKeyIsJudgedTheSameAloneOrBeforeItsReAdd() {
        LintReport report = lint(ChangelogSource.of(legacy("fk-readd.xml")));
        assertThat(rules(report, "drop-fk")).isEmpty();
        assertThat(rules(report, "drop-and-readd-fk")).isEmpty();
        assertThat(rules(report, "sql-drop-known-fk")).as("a constraint the changelog made a foreign key").isEmpty();
        assertThat(rules(report, "sql-drop-unique")).containsExactly("expand-drop-object");
    }

    @Test
    void namesAreResolvedAsPostgresqlWillUnderTheQuotingStrategy() {
        LintReport report = lint(ChangelogSource.of(legacy("quote-all.xml")));
        assertThat(rules(report, "index-new-table")).as("\"Orders\" is the table created above").isEmpty();
        assertThat(rules(report, "other-table")).as("Orders unquoted is orders").containsExactly("expand-set-not-null");
    }

    @Test
    void identicalFindingsAreShownOnce() throws Exception {
        StringBuilder sql = new StringBuilder("--liquibase formatted sql\n");
        for (int i = 0; i < 12; i++) {
            sql.append("--changeset t:c").append(i).append(" labels:expand\nDO $$ BEGIN END $$;\n");
        }
        Path changelog = java.nio.file.Files.writeString(dir.resolve("many.sql"), sql);
        String text = LintReportText.format(lint(ChangelogSource.of(changelog)));
        assertThat(text).containsOnlyOnce("[expand-unclassified-statement]")
                .contains("12 changesets c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, ...")
                .contains("12 error(s)");
    }

    private static LintReport lint(ChangelogSource source) {
        return new ChangelogLinter(new EngineRunForms()).lint(source);
    }

    private static List<String> rules(LintReport report, String changeSet) {
        return report.findings().stream().filter(f -> f.changeSetId().equals(changeSet)).map(Finding::rule).toList();
    }

    static Path legacy(String name) {
        try {
            return Path.of(LegacyChangelogTest.class.getResource("/changelogs/legacy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
