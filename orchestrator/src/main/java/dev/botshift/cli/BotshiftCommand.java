package dev.botshift.cli;

import picocli.CommandLine.Command;

@Command(name = "botshift",
        mixinStandardHelpOptions = true,
        scope = picocli.CommandLine.ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
                "Zero-downtime blue/green rollouts of chat bots, schema changes included.",
                "",
                "A release goes: expand the schema (backward compatible) -> start green next to blue -> shift traffic in "
                        + "steps while a judge compares green with blue (errors, latency, the plan's own checks; rolling back by "
                        + "itself on a spike; the Botshift router also cuts green on its own) -> bake -> "
                        + "drain blue -> contract the schema (the point of no return) -> tear blue down.",
                "",
                "Blue is the version serving before the rollout, green the new one. A supervisor (on Kubernetes the "
                        + "controller) drives every rollout to its end; the commands hand it releases and requests, "
                        + "and follow it.",
                ""},
        subcommands = {
                DeployCommand.class,
                StatusCommand.class,
                PromoteCommand.class,
                PauseCommand.class,
                ResumeCommand.class,
                UpCommand.class,
                AbortCommand.class,
                DownCommand.class,
                LintCommand.class,
                PlanCommand.class,
                DemoCommand.class,
                RouterCommand.class,
                WebhookCommand.class,
                SuperviseCommand.class,
                ControllerCommand.class,
                CompletionCommand.class,
                picocli.CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {
                "  0  success (promoted, lint clean, command done)",
                "  1  unexpected internal error",
                "  2  invalid input: usage, plan file, a changeset refused by the linter or the expand rehearsal, or an",
                "     endpoint, state directory or disk Botshift cannot use (unreachable, unsafe, corrupt, full);",
                "     nothing was changed",
                "  3  rolled back (automatically, or by abort)",
                "  4  waiting at a manual gate or paused (--detach); the supervisor keeps judging",
                "  5  another run holds the lock for this app",
                "  6  timed out while waiting",
                "  7  the rollout stopped for a human (FAILED): see the reason; 'botshift resume' retries",
                "",
                "Start with: botshift demo   (the whole story on this machine)",
                "Docs: docs/cli.md, docs/runbook.md"})
public final class BotshiftCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
