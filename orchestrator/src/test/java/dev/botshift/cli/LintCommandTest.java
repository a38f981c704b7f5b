package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.cli.CommandsTest.Run;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code botshift lint}'s options for real-world changelogs, and its refusals: exit 2, one line, no stack trace. */
class LintCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aLegacyChangelogLintsWithItsPhasesFile() {
        Run r = CommandsTest.run("lint", legacy("old-xsd.xml"), "--phases", legacy("old-xsd-phases.yaml"));
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("[phases-pattern-unused]").contains("0 error(s), 1 warning(s)");
    }

    @Test
    void searchPathAndParametersReachTheChangelog() {
        Run r = CommandsTest.run("lint", legacy("src/main/resources/db/changelog/master.xml"),
                "--search-path", legacy("src/main/resources"), "-Dprefix=app_", "-o", "text");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains("[expand-drop-column] changeset 002-drop").contains("app_person.name");
    }

    @Test
    void aChangelogThatCannotBeReadIsOneLineAndExitTwo() throws Exception {
        Path self = Files.writeString(tmp.resolve("self.yaml"),
                "databaseChangeLog:\n  - include: { file: self.yaml, relativeToChangelogFile: true }\n");
        Run r = CommandsTest.run("lint", self.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("botshift: changelog " + self + " cannot be read: include cycle: self.yaml -> self.yaml");

        Run xsd = CommandsTest.run("lint", legacy("old-xsd-labels.xml"));
        assertThat(xsd.code()).isEqualTo(2);
        assertThat(xsd.err().strip().lines()).singleElement().asString().contains("--phases").doesNotContain("SEVERE");
    }

    @Test
    void aMissingPhasesFileIsRefused() {
        Run r = CommandsTest.run("lint", legacy("old-xsd.xml"), "--phases", tmp.resolve("nope.yaml").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--phases").contains("nope.yaml: no such file");
    }

    @Test
    void skippedChangesetsAreShown() {
        Run r = CommandsTest.run("lint", legacy("dbms.xml"));
        assertThat(r.out()).contains("SKIPPED changeset oracle-only (dbms.xml): not for PostgreSQL, dbms: oracle,mssql");
    }

    /** A changelog's own text quoted in a finding shows its escape sequence, never hands it to the terminal. */
    @Test
    void aFindingShowsAnEscapeSequenceOfTheChangelog() throws Exception {
        Path changelog = Files.writeString(tmp.resolve("hidden.sql"), "--liquibase formatted sql\n"
                + "--changeset dev:drop\u001b[2K\u001b[1A labels:expand\nALTER TABLE person DROP COLUMN name;\n");
        Run r = CommandsTest.run("lint", changelog.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains("[expand-drop-column]", "drop\\u001B[2K\\u001B[1A").doesNotContain("\u001b");
    }

    static String legacy(String name) {
        try {
            return Path.of(LintCommandTest.class.getResource("/changelogs/legacy/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
