package dev.botshift.cli;

import dev.botshift.core.ExitCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * Renders {@code docs/cli.md} from the command tree, so the reference cannot drift from the parser (a test compares
 * the file with this output). Regenerate: {@code java -cp orchestrator/target/botshift.jar
 * dev.botshift.cli.CliReference > docs/cli.md}.
 */
public final class CliReference {
    static final int WIDTH = 110;

    private static final Map<Integer, String> EXIT_CODES = Map.of(
            ExitCode.OK, "success: promoted, lint clean, command done",
            ExitCode.INTERNAL, "unexpected internal error (set `BOTSHIFT_DEBUG=1` for the stack trace)",
            ExitCode.INVALID_INPUT, "invalid input: usage, plan file, a changeset refused by the linter or by the "
                    + "expand rehearsal (blue's statements break on the expanded schema), or an endpoint, "
                    + "state directory or disk Botshift cannot use (unreachable, unsafe, corrupt, full); nothing was changed",
            ExitCode.ROLLED_BACK, "rolled back, automatically or by `abort`",
            ExitCode.WAITING_AT_GATE, "waiting at a manual gate or paused (`--detach`, `status --watch --until=gate`); "
                    + "the supervisor keeps judging green there",
            ExitCode.LOCKED, "another run holds the lock for this app, or this run lost it",
            ExitCode.TIMED_OUT, "timed out while waiting (`status --watch --timeout`, a request not answered in time)",
            ExitCode.FAILED, "the rollout stopped for a human (phase FAILED: an expand, a contract or an effect failed; "
                    + "the contract rehearsal refused the contract, blue still runs; or green failed after the contract, "
                    + "which can never be reported as success); `botshift resume` retries");

    private CliReference() {
    }

    public static void main(String[] args) {
        System.out.print(markdown());
    }

    /** The whole reference, deterministic for a given command tree. */
    public static String markdown() {
        CommandLine root = Main.commandLine();
        root.setUsageHelpAutoWidth(false);
        root.setUsageHelpWidth(WIDTH);
        StringBuilder md = new StringBuilder();
        md.append("# Botshift CLI reference\n\n")
                .append("<!-- Generated from the command tree by dev.botshift.cli.CliReference: do not edit by hand.\n")
                .append("     Regenerate: java -cp orchestrator/target/botshift.jar dev.botshift.cli.CliReference > docs/cli.md\n")
                .append("     (CliReferenceTest fails while this file differs from the commands.) -->\n\n")
                .append("Every command prints the same text with `--help`. Shell completion: `source <(botshift completion)`.")
                .append(" The version: `botshift --version`.\n\n")
                .append("## Exit codes\n\nPipelines branch on these numbers; they never change meaning.\n\n")
                .append("| code | meaning |\n|---|---|\n");
        for (int code = 0; code <= ExitCode.FAILED; code++) {
            md.append("| ").append(code).append(" | ").append(EXIT_CODES.get(code)).append(" |\n");
        }
        md.append("\n## Commands\n\n");
        List<CommandLine> all = new ArrayList<>();
        collect(root, all);
        for (CommandLine c : all) {
            md.append("- [`").append(c.getCommandSpec().qualifiedName()).append("`](#")
                    .append(c.getCommandSpec().qualifiedName().replace(' ', '-')).append(")\n");
        }
        for (CommandLine c : all) {
            md.append("\n### ").append(c.getCommandSpec().qualifiedName()).append("\n\n```text\n")
                    .append(c.getUsageMessage(Ansi.OFF).stripTrailing()).append("\n```\n");
        }
        return md.toString();
    }

    private static void collect(CommandLine c, List<CommandLine> into) {
        if (c.getCommandSpec().usageMessage().hidden() || c.getCommand() instanceof CommandLine.HelpCommand) {
            return;
        }
        into.add(c);
        c.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
    }
}
