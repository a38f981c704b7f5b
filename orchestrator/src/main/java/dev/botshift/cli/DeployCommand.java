package dev.botshift.cli;

import dev.botshift.display.Display;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanLoader;
import java.nio.file.Path;
import dev.botshift.schema.SchemaMigrator;
import java.util.concurrent.Callable;
import dev.botshift.platform.Platforms;
import dev.botshift.platform.Reachability;
import dev.botshift.platform.RolloutSession;
import dev.botshift.platform.StateOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "deploy", sortOptions = false,
        description = {
                "Roll out the plan's release: expand, start green, shift traffic in steps under analysis, bake, drain "
                        + "blue, contract, tear blue down. Rolls back by itself on an error spike.",
                "Running it again for the same release continues where a killed run stopped; after a rollback it "
                        + "starts a fresh attempt."},
        footer = {"", "Examples:",
                "  botshift deploy -f plan.yaml                 # run to the end, exit 0 / 3",
                "  botshift deploy -f plan.yaml --detach        # CI: exit 4 at an approval gate, promote later"})
final class DeployCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--plan"}, required = true, paramLabel = "<plan.yaml>", description = "The release's plan file.")
    Path planFile;

    @Option(names = "--detach", description = "Return with exit code 4 at an approval gate or a pause instead of waiting.")
    boolean detach;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            description = "Format of the final result on standard output: ${COMPLETION-CANDIDATES}.")
    Output output;

    @Mixin
    StateOptions state;

    @Override
    public Integer call() throws Exception {
        Plan plan = PlanLoader.load(planFile);
        Display display = OutcomeReport.display(plan);
        SchemaMigrator schema = Platforms.schemaMigrator(plan, display.progress()::println);
        Preflight.lint(schema, spec.commandLine().getErr());
        Reachability.check(plan, state);
        return OutcomeReport.run(plan, state, display, schema, RolloutSession.Mode.DEPLOY, null, detach, output);
    }
}
