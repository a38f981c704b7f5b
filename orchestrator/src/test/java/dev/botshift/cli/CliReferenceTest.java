package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/cli.md is the generated reference; this fails as soon as a command, option or description changes. */
class CliReferenceTest {
    static final Path DOC = Path.of(System.getProperty("botshift.repo", "..")).resolve("docs/cli.md");

    @Test
    void docsCliMdIsUpToDate() throws IOException {
        String expected = CliReference.markdown();
        if (Boolean.getBoolean("botshift.updateDocs")) {
            Files.writeString(DOC, expected, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
                .as("docs/cli.md is out of date: regenerate it with "
                        + "'mvn -pl orchestrator test -Dtest=CliReferenceTest -Dbotshift.updateDocs=true' "
                        + "(or java -cp orchestrator/target/botshift.jar dev.botshift.cli.CliReference > docs/cli.md)")
                .isEqualTo(expected);
    }

    @Test
    void referenceCoversEveryVisibleCommandAndTheExitCodes() {
        String md = CliReference.markdown();
        for (var command : Main.commandLine().getSubcommands().entrySet()) {
            String name = command.getKey();
            if (!name.equals("help") && !command.getValue().getCommandSpec().usageMessage().hidden()) {
                assertThat(md).contains("### botshift " + name + "\n");
            }
        }
        assertThat(md).contains("| 4 | waiting at a manual gate", "| 6 | timed out", "| 7 | the rollout stopped",
                "--until=gate|succeeded|ended");
        // a command with its own footer replaces the inherited exit codes: it must give its own, not a bare heading
        assertThat(md).doesNotContainPattern("Exit codes:\n\s*\n");
    }

    /** Picocli reads "${name}" in a help text as a variable and prints "null" for one it does not know. */
    @Test
    void noHelpTextLostAVariableToPicocli() {
        assertThat(CliReference.markdown()).as("write a literal ${name} as $${name}")
                .doesNotContainPattern("\\bnull\\b");
    }
}
