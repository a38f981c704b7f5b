package dev.botshift.cli;

import dev.botshift.core.InvalidInputException;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanLoader;
import dev.botshift.platform.RolloutSession;
import dev.botshift.platform.StateOptions;
import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutState;
import dev.botshift.state.LockHeldException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "abort", sortOptions = false,
        description = {"Roll back: all traffic to blue, green drained and stopped. The expanded schema stays.",
                "Refused from the contract on (the old version cannot run on the contracted schema).",
                "If a deploy is running it does the rollback; otherwise this command does it and exits 3.",
                "With --release (and --attempt), only that rollout is rolled back: a different open one is refused "
                        + "with exit code 2 naming it. Pipelines pass their own release, so a failed run never rolls "
                        + "back someone else's (e.g. botshift abort my-bot --release 2.0.0 --attempt 1)."})
final class AbortCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<app>")
    String app;

    @Option(names = "--release", paramLabel = "<release>",
            description = "Only if the open rollout is of this release (the plan's release).")
    String release;

    @Option(names = "--attempt", paramLabel = "<n>",
            description = "With --release: only if the open rollout is this attempt of it (see 'botshift status').")
    Integer attempt;

    @Mixin
    StateOptions state;

    @Override
    public Integer call() throws Exception {
        RolloutTarget target = RolloutTarget.of(release, attempt);
        var store = Rollouts.store(state);
        RolloutState s = Rollouts.read(store, app, state);
        target.check(s);
        if (s.phase().terminal()) {
            throw new InvalidInputException(app + " " + s.release() + " has already ended (" + s.phase().code() + ")");
        }
        if (s.phase().pastPointOfNoReturn()) {
            throw new InvalidInputException("cannot abort " + app + " " + s.release() + ": the contract has started, "
                    + "so the old version cannot run any more; finish with 'botshift resume " + app + "'");
        }
        if (!s.phase().rollbackable()) {
            // refused here, not by the loop: a loop that refuses goes on forward and would hold this command
            throw new InvalidInputException("cannot abort " + app + " " + s.release() + " (" + s.phase().code()
                    + "): blue is being drained, so the rollout can only go forward; finish with 'botshift resume "
                    + app + "'");
        }
        Plan plan = PlanLoader.load(Path.of(s.planFile()));
        try {
            return OutcomeReport.run(plan, state, RolloutSession.Mode.RESUME, Request.Kind.ABORT, false, Output.text);
        } catch (LockHeldException running) {
            Rollouts.request(store, app, state, Request.Kind.ABORT, target);
            System.out.println("abort requested: the running deploy (" + running.holder() + ") rolls back within one interval");
            return 0;
        }
    }
}
