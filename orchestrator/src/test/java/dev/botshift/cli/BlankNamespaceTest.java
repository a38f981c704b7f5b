package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

/** CI systems hand an unset variable over as an empty string: a blank namespace means the local state. */
class BlankNamespaceTest {
    static StatusCommand parse(String... args) {
        ParseResult r = Main.commandLine().parseArgs(args);
        return (StatusCommand) r.subcommand().commandSpec().userObject();
    }

    @Test
    void blankNamespaceIsNoNamespace() {
        assertThat(parse("status", "my-bot", "--namespace=").state.namespace()).isNull();
        assertThat(parse("status", "my-bot", "--namespace=  ").state.namespace()).isNull();
        assertThat(parse("status", "my-bot", "--namespace=bots").state.namespace()).isEqualTo("bots");
    }
}
