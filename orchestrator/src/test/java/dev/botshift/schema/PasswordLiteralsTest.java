package dev.botshift.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.schema.lint.ChangelogLinter;
import java.util.List;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A password literal in a changeset never reaches a terminal or a CI log through Botshift: {@code lint}'s finding
 * quoting the statement, and {@code plan}'s preview of the SQL, show it as {@code '…'}.
 */
class PasswordLiteralsTest {
    @TempDir
    Path dir;

    @Test
    void passwordLiteralsAreHiddenWhateverTheirForm() {
        assertThat(PasswordLiterals.hidden("CREATE USER app PASSWORD 'hunter2'")).isEqualTo("CREATE USER app PASSWORD '…'");
        assertThat(PasswordLiterals.hidden("alter role app with encrypted password 'it''s' valid until 'infinity'"))
                .isEqualTo("alter role app with encrypted password '…' valid until 'infinity'");
        assertThat(PasswordLiterals.hidden("ALTER ROLE app PASSWORD E'a\\\\b' LOGIN")).isEqualTo("ALTER ROLE app PASSWORD E'…' LOGIN");
        assertThat(PasswordLiterals.hidden("UPDATE t SET password_hash = 'x'")).as("not a role's password")
                .isEqualTo("UPDATE t SET password_hash = 'x'");
        assertThat(PasswordLiterals.hidden("ALTER ROLE app PASSWORD NULL")).isEqualTo("ALTER ROLE app PASSWORD NULL");
        assertThat(PasswordLiterals.hidden("ALTER ROLE app PASSWORD E'it\\'s' LOGIN")).as("a backslash escape")
                .isEqualTo("ALTER ROLE app PASSWORD E'…' LOGIN");
        assertThat(PasswordLiterals.hidden("CREATE ROLE app PASSWORD $$hunter2$$ LOGIN")).as("dollar-quoted")
                .isEqualTo("CREATE ROLE app PASSWORD '…' LOGIN");
        assertThat(PasswordLiterals.hidden("CREATE ROLE app PASSWORD $pw$a$$b$pw$ LOGIN")).as("with a tag")
                .isEqualTo("CREATE ROLE app PASSWORD '…' LOGIN");
        assertThat(PasswordLiterals.hidden("CREATE USER app PASSWORD 'hunter2")).as("never closed: to the end")
                .isEqualTo("CREATE USER app PASSWORD '…'");
        assertThat(PasswordLiterals.hidden("CREATE USER app PASSWORD $$hunter2")).isEqualTo("CREATE USER app PASSWORD '…'");
    }

    @Test
    void lintsFindingQuotesTheStatementWithoutThePassword() throws Exception {
        Path changelog = Files.writeString(dir.resolve("roles.sql"), "--liquibase formatted sql\n"
                + "--changeset t:1 labels:expand\nCREATE USER reporting PASSWORD 'hunter2';\n");
        String report = String.valueOf(new ChangelogLinter().lint(changelog));
        assertThat(report).contains("CREATE USER reporting PASSWORD '…'").doesNotContain("hunter2");
    }

    @Test
    void theLiteralsOfAStatementAreFoundWithTheirValues() {
        assertThat(PasswordLiterals.in("CREATE USER a PASSWORD 'it''s'; ALTER ROLE b PASSWORD $pw$x$pw$ LOGIN"))
                .containsExactly(new PasswordLiterals.Literal(14, "it's"), new PasswordLiterals.Literal(45, "x"));
        assertThat(PasswordLiterals.in("ALTER ROLE a PASSWORD NULL; UPDATE t SET password = 'x'")).isEmpty();
        assertThat(PasswordLiterals.in("CREATE USER a PASSWORD 'open")).extracting(PasswordLiterals.Literal::value)
                .containsExactly("open");
        assertThat(PasswordLiterals.in(null)).isEmpty();
    }

    /**
     * A password written in the changelog is found (it is in the repository), also one equal to a parameter's value;
     * one a plan's parameter filled is not, though Liquibase has filled it before the linter reads the statement.
     */
    @Test
    void aPasswordWrittenInTheChangelogIsFoundAndOneFromAParameterIsNot() throws Exception {
        Path changelog = Files.writeString(dir.resolve("roles.sql"), """
                --liquibase formatted sql
                --property name:fixed value:from-the-changelog
                --changeset t:1 labels:contract
                CREATE USER reporting PASSWORD 'hunter2';
                --changeset t:2 labels:contract
                CREATE USER audit PASSWORD '${audit_password}';
                --changeset t:3 labels:contract
                CREATE USER fixed PASSWORD '${fixed}';
                --changeset t:4 labels:contract
                --comment: botshift:accept password-literal a throwaway role of the test database
                CREATE USER probe PASSWORD 'probe';
                --changeset t:5 labels:contract
                CREATE USER dev PASSWORD 's3cret-from-env';
                """);
        ChangelogSource source = new ChangelogSource(changelog, List.of(), List.of(),
                Map.of("audit_password", "s3cret-from-env"), null);

        List<LintReport.Finding> found = new ChangelogLinter().lint(source).findings().stream()
                .filter(f -> f.rule().equals("password-literal")).toList();

        // 5: the parameter's value typed in as well (a developer's environment holds the same): written all the same
        assertThat(found).extracting(LintReport.Finding::changeSetId).containsExactly("1", "3", "4", "5");
        assertThat(found.get(0).severity()).isEqualTo(LintReport.Finding.Severity.WARNING);
        assertThat(found.get(0).why()).startsWith("statement 'CREATE USER reporting PASSWORD '…''")
                .contains("written in the changelog");
        assertThat(found.get(0).instead()).contains("${env:NAME}");
        assertThat(found.get(2).accepted()).isTrue();
        assertThat(found.toString()).doesNotContain("hunter2", "from-the-changelog", "s3cret");
    }
}
