package dev.botshift.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints Picocli's generated completion script; the same script serves bash and zsh (through bashcompinit). */
@Command(name = "completion",
        description = "Print a shell completion script for botshift (commands, options, enum values, files).",
        footer = {"  0  the script was printed", "  2  unknown shell", "", "Examples:",
                "  source <(botshift completion bash)           # in ~/.bashrc",
                "  source <(botshift completion zsh)            # in ~/.zshrc (loads bashcompinit itself)"})
final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "bash|zsh", defaultValue = "bash",
            description = "The shell (default: ${DEFAULT-VALUE}).")
    Shell shell;

    @Override
    public Integer call() {
        String script = AutoComplete.bash("botshift", spec.root().commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
