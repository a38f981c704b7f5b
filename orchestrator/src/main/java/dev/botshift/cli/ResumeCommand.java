package dev.botshift.cli;

import dev.botshift.display.Display;
import dev.botshift.display.EventLog;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanLoader;
import dev.botshift.platform.Identity;
import dev.botshift.platform.Reachability;
import dev.botshift.platform.StateOptions;
import dev.botshift.rollout.ManualCommands;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutState;
import dev.botshift.state.StateStore;
import dev.botshift.state.local.KeptReleases;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "resume", sortOptions = false,
        description = {"Carry on with an app's rollout after a pause or a failure, make sure its supervisor runs (it "
                + "starts one when the last one died; after the rollout's end one that guards its router and bots), and "
                + "follow it. Ctrl-C stops following, never the rollout."},
        footer = {
                "  0  promoted",
                "  2  invalid input: no such rollout, a plan file that cannot be read; nothing was handed in",
                "  3  rolled back (automatically, or by abort)",
                "  4  --detach: waiting at an approval gate or paused; the supervisor keeps judging green",
                "  6  --timeout passed first: the rollout goes on under its supervisor",
                "  7  the rollout stopped for a human (FAILED) again: see the reason",
                "", "Example: botshift resume my-bot --timeout 30m"})
final class ResumeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<app>", description = "The app (the plan's name).")
    String app;

    @Option(names = {"-f", "--plan"}, paramLabel = "<plan.yaml>",
            description = "The plan file, for the live view and the variables a supervisor started here is given "
                    + "(default: the plan as the rollout's deploy kept it). The rollout itself carries on with the "
                    + "plan its deploy kept (on Kubernetes: the one stored with the release).")
    Path planFile;

    @Option(names = "--detach", description = "Stop following (exit code 4) at an approval gate or a pause.")
    boolean detach;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            description = "Format of the final result: ${COMPLETION-CANDIDATES}.")
    Output output;

    @Mixin
    FollowLimit limit;

    @Mixin
    StateOptions state;

    @Override
    public Integer call() throws Exception {
        try (StateStore store = Rollouts.store(state, app)) {
            RolloutState s = Rollouts.read(store, app, state);
            Driver driver = Driver.of(store, state);
            Plan plan;
            if (driver instanceof Driver.Controller) {
                // the controller drives, in the cluster, with the release bundle's plan and the cluster's network:
                // nothing is read or probed from here; refused (exit 2) while no replica leads
                driver.require();
                plan = planFile != null ? PlanLoader.load(planFile) : null;
            } else {
                plan = planFile != null ? PlanLoader.load(planFile)
                        : KeptReleases.load(state.stateDir(), app, s.release(), s.planFile(), System.getenv());
                Reachability.check(plan, state); // refused before anything is handed in: nothing changes
            }
            Request resume = s.phase() instanceof Phase.Paused || s.phase() instanceof Phase.Failed
                    ? ManualCommands.append(store, app, Request.Kind.RESUME, Identity.who(), Instant.now()) : null;
            Display display = plan != null ? OutcomeReport.display(plan) : new EventLog(System.err);
            if (driver instanceof Driver.Supervisor supervisor) {
                supervisor.ensure(plan, System.err, Driver.Supervisor.Foreign.REFUSE);
            }
            Follow follow = new Follow(store, app, display, System.err, driver.watch(app));
            int code = follow.follow(s.release(), s.history().size(), detach ? Follow.Stop.GATE : Follow.Stop.END,
                    limit.deadline(), resume);
            OutcomeReport.print(follow.last(), code, output, System.out);
            return code;
        }
    }
}
