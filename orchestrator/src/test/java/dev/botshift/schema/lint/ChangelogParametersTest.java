package dev.botshift.schema.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.InvalidInputException;
import dev.botshift.schema.ChangelogSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.jupiter.api.io.TempDir;

/**
 * A changelog parameter nothing in the changelog or the plan defines is refused: Liquibase would fill it from the
 * process's environment or JVM properties, and the value (a password, the bot token) would land in a statement.
 */
class ChangelogParametersTest {
    @TempDir
    Path dir;

    @Test
    void aReferenceToTheEnvironmentIsRefusedNamingTheFileAndTheName() throws IOException {
        // PATH is set in every process: before, Liquibase put its value into the statement
        Path root = write("leak.yaml", yamlChangeSet("- sql: { sql: \"CREATE TABLE t (v text DEFAULT '${PATH}')\" }"));
        assertThatThrownBy(() -> new ChangelogLinter().lint(root)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("leak.yaml: ${PATH} is defined by no property of the changelog")
                .hasMessageContaining("-DPATH=")
                .hasMessageNotContaining(System.getenv("PATH"));
        Path sysprop = write("user.xml", xml("<changeSet id=\"1\" author=\"t\" labels=\"expand\">"
                + "<createTable tableName=\"t_${user.name}\"><column name=\"id\" type=\"int\"/></createTable></changeSet>"));
        assertThatThrownBy(() -> new ChangelogLinter().lint(sysprop)).hasMessageContaining("${user.name}");
    }

    /**
     * An sqlFile is never filled from the environment or the JVM, and a name nothing defines left in it is refused as
     * in the changelog itself (it reached the database as written before); one the plan defines is filled.
     */
    @Test
    @ResourceLock(Resources.SYSTEM_PROPERTIES)
    void anSqlFileIsNeverFilledFromTheEnvironmentOrTheJvmAndANameNothingDefinesIsRefused() throws IOException {
        Path root = write("root.yaml", yamlChangeSet("- sqlFile: { path: leak.sql, relativeToChangelogFile: true }"));
        write("leak.sql", "ALTER TABLE t ADD COLUMN tenant text DEFAULT '${botshift.test.canary}';\n");
        System.setProperty("botshift.test.canary", "canary4417");
        try {
            // before, the default was 'canary4417' (filled from the JVM), then '${botshift.test.canary}' as written
            assertThatThrownBy(() -> new ChangelogLinter().lint(root)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("changeset 1 (").hasMessageContaining("its SQL file ")
                    .hasMessageContaining("leak.sql: ${botshift.test.canary} is defined by no property")
                    .hasMessageNotContaining("canary4417");
        } finally {
            System.clearProperty("botshift.test.canary");
        }
        write("leak.sql", "DROP TABLE t_${tenant};\n");
        assertThat(new ChangelogLinter().lint(new ChangelogSource(root, List.of(), List.of(), Map.of("tenant", "acme"),
                null)).findings()).as("filled from the plan's parameters").singleElement().asString().contains("t_acme");
    }

    @Test
    void propertiesOfTheChangelogItsParentsThePlanAndLiquibaseAreTaken() throws IOException {
        Path root = write("root.xml", xml("<property name=\"prefix\" value=\"app_\"/>"
                + "<include file=\"child.yaml\" relativeToChangelogFile=\"true\"/>"
                + "<include file=\"child.sql\" relativeToChangelogFile=\"true\"/>"));
        write("child.yaml", """
                databaseChangeLog:
                  - property: { name: textType, value: text }
                  - changeSet:
                      id: 1
                      author: t
                      labels: expand
                      changes:
                        - createTable:
                            tableName: ${prefix}person
                            columns:
                              - column: { name: note, type: "${textType}" }
                              - column: { name: at, type: timestamp, defaultValueComputed: "${database.currentDateTimeFunction}" }
                """);
        write("child.sql", """
                --liquibase formatted sql
                --property name:suffix value:_v2
                --changeset t:2 labels:expand
                CREATE TABLE ${prefix}other${suffix} (id int);
                CREATE TABLE ${tenant}_x (id int);
                """);
        // read (a refusal would throw), and the statements carry the values the definitions give
        var report = new ChangelogLinter().lint(new ChangelogSource(root, List.of(), List.of(), Map.of("tenant", "acme"),
                null));
        assertThat(report.findings()).isEmpty(); // three new tables: nothing to report
        write("child.sql", """
                --liquibase formatted sql
                --changeset t:2 labels:expand
                DROP TABLE ${tenant}_x;
                """);
        assertThat(new ChangelogLinter().lint(new ChangelogSource(root, List.of(), List.of(), Map.of("tenant", "acme"),
                null)).findings()).singleElement().asString().contains("acme_x");
    }

    /** Liquibase never reads an XML or YAML comment: one may name anything, and defines nothing. */
    @Test
    void commentsMayNameAnyParameterAndDefineNone() throws IOException {
        Path yaml = write("commented.yaml", """
                # ${DB_PASSWORD} comes from the Secret, never from here
                databaseChangeLog:
                  - changeSet:  # ${ANOTHER} trailing comment
                      id: 1
                      author: t
                      labels: expand
                      changes:
                        - createTable: { tableName: t1, columns: [ { column: { name: id, type: int } } ] }
                """);
        assertThat(new ChangelogLinter().lint(yaml).findings()).isEmpty();
        Path xml = write("commented.xml", xml("<!-- ${DB_PASSWORD} comes from the Secret\n"
                + "<property name=\"tenant\" value=\"acme\"/> -->"
                + "<changeSet id=\"1\" author=\"t\" labels=\"expand\">"
                + "<createTable tableName=\"t2\"><column name=\"id\" type=\"int\"/></createTable></changeSet>"));
        assertThat(new ChangelogLinter().lint(xml).findings()).isEmpty();

        // the commented-out property defines nothing; a CDATA section is read by Liquibase, "<!--" in it included
        Path used = write("used.xml", xml("<!-- <property name=\"tenant\" value=\"acme\"/> -->"
                + "<changeSet id=\"1\" author=\"t\" labels=\"expand\">"
                + "<createTable tableName=\"t_${tenant}\"><column name=\"id\" type=\"int\"/></createTable></changeSet>"));
        assertThatThrownBy(() -> new ChangelogLinter().lint(used)).hasMessageContaining("used.xml: ${tenant} is defined by no");
        Path cdata = write("cdata.xml", xml("<changeSet id=\"1\" author=\"t\" labels=\"expand\"><sql><![CDATA["
                + "CREATE TABLE t3 (v text DEFAULT '<!-- ${PATH} -->')]]></sql></changeSet>"));
        assertThatThrownBy(() -> new ChangelogLinter().lint(cdata)).hasMessageContaining("cdata.xml: ${PATH} is defined");
    }

    /**
     * Aliases are the nodes they name: 25 levels of two aliases each (the 50 the guard allows; 2^25 paths) are read
     * in their size. Walked as paths, 24 levels took 6.7 s; as nodes, 0.2 s.
     */
    @Test
    void nestedAliasesAreCheckedOnceEach() throws IOException {
        StringBuilder levels = new StringBuilder("x0: &a0 [\"${LEAK}\"]\n");
        for (int i = 1; i <= 25; i++) {
            levels.append("x").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a")
                    .append(i - 1).append("]\n");
        }
        Path root = write("aliases.yaml", levels + "databaseChangeLog: []\n");
        long start = System.nanoTime();
        assertThatThrownBy(() -> new ChangelogLinter().lint(root)).hasMessageContaining("${LEAK}");
        assertThat(System.nanoTime() - start).as("nanoseconds").isLessThan(3_000_000_000L);
    }

    /** A YAML changelog of one expand changeset, id 1, whose changes are {@code change} (one list item). */
    private static String yamlChangeSet(String change) {
        return """
                databaseChangeLog:
                  - changeSet:
                      id: 1
                      author: t
                      labels: expand
                      changes:
                        %s
                """.formatted(change);
    }

    private Path write(String name, String text) throws IOException {
        return ChangelogFiles.write(dir, name, text);
    }

    private static String xml(String body) {
        return ChangelogFiles.xml(body);
    }
}
