package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CompletionAndVersionTest {
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void completionPrintsABashScriptKnowingEveryCommandAndOption() {
        Run r = run("completion");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("complete -F _complete_botshift", "deploy", "promote", "--until", "--detach",
                "succeeded");
    }

    @Test
    void zshGetsTheSameScriptThroughBashcompinit() {
        Run r = run("completion", "zsh");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("bashcompinit").isEqualTo(run("completion", "bash").out());
    }

    @Test
    void unknownShellIsInvalidInput() {
        Run r = run("completion", "fish");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("fish");
    }

    @Test
    void versionNamesBotshiftAndJava() {
        Run r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("botshift ").contains("Java " + System.getProperty("java.version"));
    }
}
