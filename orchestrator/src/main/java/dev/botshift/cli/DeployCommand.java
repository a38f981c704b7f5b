package dev.botshift.cli;

import dev.botshift.core.ExitCode;
import dev.botshift.display.Display;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanLoader;
import dev.botshift.rollout.RolloutStateCodec;
import java.nio.file.Path;
import dev.botshift.schema.SchemaMigrator;
import dev.botshift.state.StateStore;
import java.time.Clock;
import java.util.concurrent.Callable;
import dev.botshift.platform.Platforms;
import dev.botshift.platform.Reachability;
import dev.botshift.platform.StateOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "deploy", sortOptions = false,
        description = {
                "Hand the plan's release to the supervisor and follow it: expand, start green, shift traffic in steps "
                        + "under analysis, bake, drain blue, contract, tear blue down. A spike rolls it back by itself.",
                "The rollout does not depend on this command: a supervisor (on Kubernetes the controller) drives it to "
                        + "its end. Ctrl-C stops following, never the rollout. Running deploy again for the same "
                        + "release follows the open rollout; after a rollback it starts a fresh attempt."},
        footer = {
                "  0  promoted (or already the stable release)",
                "  2  invalid input: usage, plan file, a refused changeset, an expand refused by its rehearsal;",
                "     nothing was changed",
                "  3  rolled back (automatically, or by abort)",
                "  4  --detach: waiting at an approval gate or paused; the supervisor keeps judging green",
                "  5  another run holds the lock for this app",
                "  6  --timeout passed first: the rollout goes on under its supervisor",
                "  7  the rollout stopped for a human (FAILED): see the reason; 'botshift resume' retries",
                "", "Examples:",
                "  botshift deploy -f plan.yaml                 # follow to the end: exit 0, 3 or 7",
                "  botshift deploy -f plan.yaml --detach        # CI: exit 4 at an approval gate (still guarded)",
                "  botshift deploy -f plan.yaml --timeout 45m   # CI: exit 6 if not ended by then (it goes on)"})
final class DeployCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--plan"}, required = true, paramLabel = "<plan.yaml>", description = "The release's plan file.")
    Path planFile;

    @Option(names = "--detach", description = "Stop following (exit code 4) at an approval gate or a pause; the "
            + "supervisor keeps judging green there and rolls back on a spike.")
    boolean detach;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            description = "Format of the final result on standard output: ${COMPLETION-CANDIDATES}.")
    Output output;

    @Mixin
    FollowLimit limit;

    @Option(names = "--allow-downgrade", description = "Deploy a release older than the live one (refused "
            + "otherwise: the schema was contracted for the live release).")
    boolean allowDowngrade;

    @Mixin
    StateOptions state;

    @Override
    public Integer call() throws Exception {
        Plan plan = PlanLoader.load(planFile);
        Display display = OutcomeReport.display(plan);
        SchemaMigrator schema = Platforms.schemaMigrator(plan, display.progress()::println);
        Preflight.lint(schema, spec.commandLine().getErr());
        Preflight.appUser(plan, schema, spec.commandLine().getErr());
        Preflight.botMetrics(plan, state, spec.commandLine().getErr());
        Reachability.check(plan, state);
        try (StateStore store = Platforms.stateStore(plan, state)) {
            Driver driver = Driver.of(store, state);
            driver.require();
            ReleaseOrder.check(plan.name(), plan.release(), store.read(plan.name())
                    .map(v -> RolloutStateCodec.decode(v.json())).orElse(null), allowDowngrade);
            Submit.Submitted submitted = Submit.submit(plan, store, Clock.systemUTC(),
                    fresh -> driver.beforeFresh(plan, fresh));
            if (submitted.alreadyStable()) {
                System.err.println(plan.name() + " " + plan.release() + " is already the stable release: nothing to do");
                OutcomeReport.alreadyStable(submitted.state(), plan.release(), output, System.out);
                return ExitCode.OK;
            }
            driver.take(plan, System.err);
            Follow follow = new Follow(store, plan.name(), display, System.err, driver.watch(plan.name()));
            int code = follow.follow(plan.release(), 0, detach ? Follow.Stop.GATE : Follow.Stop.END, limit.deadline(),
                    null);
            OutcomeReport.print(follow.last(), code, output, System.out);
            return code;
        }
    }
}
