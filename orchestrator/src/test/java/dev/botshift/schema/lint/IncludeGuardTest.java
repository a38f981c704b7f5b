package dev.botshift.schema.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.InvalidInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Changelogs that would crash or hang Liquibase are refused first, in one line naming the cause (issue 13). */
class IncludeGuardTest {
    @TempDir
    Path dir;

    @Test
    void aChangelogIncludingItselfIsACycle() throws IOException {
        Path self = write("self.yaml", "databaseChangeLog:\n  - include: { file: self.yaml, relativeToChangelogFile: true }\n");
        assertThatThrownBy(() -> new ChangelogLinter().lint(self))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("changelog " + self + " cannot be read: include cycle: self.yaml -> self.yaml");
    }

    @Test
    void aLongerCycleIsNamedLinkByLink() throws IOException {
        Path root = write("root.xml", xml("<include file=\"a.xml\" relativeToChangelogFile=\"true\"/>"));
        write("a.xml", xml("<include file=\"b.sql\" relativeToChangelogFile=\"true\"/>"
                + "<include file=\"b.xml\" relativeToChangelogFile=\"true\"/>"));
        write("b.sql", "--liquibase formatted sql\n--changeset t:1 labels:expand\nSELECT 1;\n");
        write("b.xml", xml("<include file=\"a.xml\" relativeToChangelogFile=\"true\"/>"));
        assertThatThrownBy(() -> new ChangelogLinter().lint(root))
                .hasMessageEndingWith("cannot be read: include cycle: a.xml -> b.xml -> a.xml");
    }

    @Test
    void includesNestedTooDeeplyAreRefused() throws IOException {
        for (int i = 0; i < IncludeGuard.MAX_DEPTH + 1; i++) {
            write("level" + i + ".yaml", "databaseChangeLog:\n  - include: { file: level" + (i + 1)
                    + ".yaml, relativeToChangelogFile: true }\n");
        }
        write("level" + (IncludeGuard.MAX_DEPTH + 1) + ".yaml", "databaseChangeLog: []\n");
        assertThatThrownBy(() -> new ChangelogLinter().lint(dir.resolve("level0.yaml")))
                .hasMessageContaining("includes nested deeper than 64 files");
    }

    @Test
    void aYamlAliasBombIsRefusedAtOnce() throws IOException {
        // ten levels of ten aliases each: 10^10 leaves once expanded, a few hundred bytes written
        StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 10; i++) {
            String prev = "*a" + (i - 1);
            yaml.append("a").append(i).append(": &a").append(i).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(10, prev))).append("]\n");
        }
        yaml.append("databaseChangeLog:\n  - changeSet: { id: bomb, author: t, labels: expand, changes: [ { sql: { sql: 'SELECT 1' } } ], comment: *a10 }\n");
        Path bomb = write("bomb.yaml", yaml.toString());
        long start = System.nanoTime();
        assertThatThrownBy(() -> new ChangelogLinter().lint(bomb))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("bomb.yaml uses more than 50 YAML aliases");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aHugeChangelogIsRefusedBeforeItIsRead() throws IOException {
        Path huge = dir.resolve("huge.sql");
        byte[] line = "-- padding padding padding padding padding padding padding padding padding\n"
                .getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(huge)) {
            out.write("--liquibase formatted sql\n".getBytes(StandardCharsets.UTF_8));
            for (long written = 0; written <= IncludeGuard.MAX_BYTES; written += line.length) {
                out.write(line);
            }
        }
        assertThatThrownBy(() -> new ChangelogLinter().lint(huge))
                .hasMessageEndingWith("cannot be read: huge.sql is larger than 16 MB");
    }

    @Test
    void anIncludedFileThatIsMissingIsNamed() throws IOException {
        Path root = write("root.yaml", "databaseChangeLog:\n  - include: { file: gone.sql, relativeToChangelogFile: true }\n");
        assertThatThrownBy(() -> new ChangelogLinter().lint(root))
                .hasMessageContaining("included file gone.sql was not found")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContainPattern("[a-z]+\\.[a-z]+\\.[A-Z]\\w+Exception"));
    }

    private Path write(String name, String text) throws IOException {
        return ChangelogFiles.write(dir, name, text);
    }

    private static String xml(String body) {
        return ChangelogFiles.xml(body);
    }
}
