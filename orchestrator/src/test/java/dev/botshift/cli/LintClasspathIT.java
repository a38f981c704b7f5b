package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.cli.CommandsTest.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --classpath}: a customChange whose jar is given is found (compiling the jar takes seconds: an IT). */
class LintClasspathIT {
    @TempDir
    Path tmp;

    @Test
    void aCustomChangeIsFoundInTheJarsGiven() throws Exception {
        String changelog = LintCommandTest.legacy("custom-change.xml");
        Run without = CommandsTest.run("lint", changelog);
        assertThat(without.out()).contains("customChange com.example.liquibase.MigratePeople").contains("not on the classpath");

        Path jar = CustomChangeJar.build(tmp, "com.example.liquibase.MigratePeople");
        Run with = CommandsTest.run("lint", changelog, "--classpath", tmp.resolve("other.jar") + ":" + jar);
        assertThat(with.code()).isEqualTo(2); // other.jar does not exist
        assertThat(with.err()).contains("classpath entry").contains("other.jar does not exist");

        Run found = CommandsTest.run("lint", changelog, "--classpath", jar.toString());
        assertThat(found.out()).contains("runs Java code the linter cannot read").doesNotContain("not on the classpath")
                .contains("[expand-drop-table] changeset drop-in-expand");
    }
}
