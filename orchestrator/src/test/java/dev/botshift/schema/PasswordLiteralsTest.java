package dev.botshift.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.schema.lint.ChangelogLinter;
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
}
