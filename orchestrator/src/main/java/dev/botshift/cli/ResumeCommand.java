package dev.botshift.cli;

import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanLoader;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutState;
import dev.botshift.state.StateStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import dev.botshift.platform.RolloutSession;
import dev.botshift.platform.StateOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "resume", sortOptions = false,
        description = {"Carry on with an app's rollout: after a killed deploy, a pause, a failure, or a --detach at a gate "
                + "(after promote). Re-attaches to the running colours and the router through the stored state."})
final class ResumeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<app>", description = "The app (the plan's name).")
    String app;

    @Option(names = {"-f", "--plan"}, paramLabel = "<plan.yaml>",
            description = "The plan file (default: the one the rollout was started with).")
    Path planFile;

    @Option(names = "--detach", description = "Return with exit code 4 at an approval gate or a pause.")
    boolean detach;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            description = "Format of the final result: ${COMPLETION-CANDIDATES}.")
    Output output;

    @Mixin
    StateOptions state;

    @Override
    public Integer call() throws Exception {
        RolloutState s;
        try (StateStore store = Rollouts.store(state)) {
            s = Rollouts.read(store, app, state);
        }
        Plan plan = PlanLoader.load(planFile != null ? planFile : Path.of(s.planFile()));
        Request.Kind request = s.phase() instanceof Phase.Paused || s.phase() instanceof Phase.Failed
                ? Request.Kind.RESUME : null;
        return OutcomeReport.run(plan, state, RolloutSession.Mode.RESUME, request, detach, output);
    }
}
