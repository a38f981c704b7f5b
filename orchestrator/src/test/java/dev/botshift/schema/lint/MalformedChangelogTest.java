package dev.botshift.schema.lint;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A changelog whose YAML is malformed is refused naming its file, line, column and problem, never quoting the line:
 * SnakeYAML's own message quotes it, and a changeset's SQL may hold a password (a {@code CREATE USER … PASSWORD}),
 * which then reached the CI log. The plan's YAML is reported the same way ({@code plan.YamlTree}).
 */
class MalformedChangelogTest {
    private static final String UNCLOSED = "databaseChangeLog:\n  - changeSet:\n      id: 1\n      author: a\n"
            + "      changes:\n        - sql: \"CREATE USER app PASSWORD 'hunter2' [\n";
    @TempDir
    Path dir;

    @Test
    void aMalformedChangelogIsNamedByLineAndProblemWithoutItsText() throws IOException {
        Path root = Files.writeString(dir.resolve("bad.yaml"), UNCLOSED);
        assertThatThrownBy(() -> new ChangelogLinter().lint(root))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("changelog " + root + " cannot be read: bad.yaml line 7 column 1: malformed YAML: found "
                        + "unexpected end of stream (while scanning a quoted scalar at line 6 column 16)")
                .message().doesNotContain("hunter2", "CREATE USER");
    }

    @Test
    void aJsonChangelogIsToldAsJson() throws IOException {
        Path root = Files.writeString(dir.resolve("bad.json"), "{\"databaseChangeLog\": [ {\"changeSet\": {\"id\": "
                + "\"1\", \"author\": \"a\", \"changes\": [ {\"sql\": {\"sql\": \"CREATE USER app PASSWORD 'hunter2'\" ");
        assertThatThrownBy(() -> new ChangelogLinter().lint(root))
                .hasMessageContaining("cannot be read: bad.json line 1 column ")
                .hasMessageContaining(": malformed JSON: expected ',' or '}'")
                .message().doesNotContain("hunter2");
    }

    /** An XML parser's error names the file and line whatever it is, and the elements or entities, not the text. */
    @Test
    void anXmlChangelogThatDoesNotParseIsNamedByLine() throws IOException {
        Path root = Files.writeString(dir.resolve("bad.xml"), """
                <?xml version="1.0"?>
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog \
                http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
                  <changeSet id="1" author="a" labels="expand"><sql>CREATE USER app PASSWORD hunter2</sqll></changeSet>
                </databaseChangeLog>
                """.replace("\\\n", ""));
        assertThatThrownBy(() -> new ChangelogLinter().lint(root))
                .hasMessage("changelog " + root + " cannot be read: bad.xml line 5: The end-tag for element type "
                        + "\"sql\" must end with a '>' delimiter.");
    }

    /**
     * A key given twice is refused: YAML keeps the last, so {@code labels: expand} then {@code labels: contract} made a
     * contract changeset of what reads as an expand one, and lint called it clean (SnakeYAML only warned on standard
     * error, in a logger's format).
     */
    @Test
    void aKeyGivenTwiceIsRefusedNamingItsLine() throws IOException {
        Path root = Files.writeString(dir.resolve("twice.yaml"), "databaseChangeLog:\n  - changeSet:\n      id: 1\n"
                + "      author: a\n      labels: expand\n      labels: contract\n      changes:\n"
                + "        - sql: {sql: \"SELECT 1\"}\n");
        assertThatThrownBy(() -> new ChangelogLinter().lint(root))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("changelog " + root + " cannot be read: twice.yaml line 6 column 7: the key 'labels' is given "
                        + "twice in one mapping (YAML keeps only the last): give it once");
    }

    @Test
    void aLongKeyGivenTwiceIsQuotedCut() throws IOException {
        String key = "k".repeat(100_000);
        Path root = Files.writeString(dir.resolve("long.yaml"), "databaseChangeLog:\n  - changeSet:\n      id: 1\n"
                + "      ? " + key + "\n      : a\n      ? " + key + "\n      : b\n"); // explicit keys: no length limit
        assertThatThrownBy(() -> new ChangelogLinter().lint(root)).isInstanceOf(InvalidInputException.class)
                .hasMessageEndingWith("long.yaml line 6 column 9: the key '" + "k".repeat(80) + "…' is given twice in "
                        + "one mapping (YAML keeps only the last): give it once");
    }

    @Test
    void aMalformedIncludedFileIsTheOneNamed() throws IOException {
        Path root = Files.writeString(dir.resolve("root.yaml"),
                "databaseChangeLog:\n  - include: { file: part.yaml, relativeToChangelogFile: true }\n");
        Files.writeString(dir.resolve("part.yaml"), UNCLOSED);
        assertThatThrownBy(() -> new ChangelogLinter().lint(root))
                .hasMessageContaining("cannot be read: part.yaml line 7 column 1: malformed YAML: ")
                .message().doesNotContain("hunter2");
    }
}
