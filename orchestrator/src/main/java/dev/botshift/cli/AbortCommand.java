package dev.botshift.cli;

import dev.botshift.core.InvalidInputException;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanLoader;
import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutState;
import dev.botshift.state.LockHeldException;
import dev.botshift.state.StateStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import dev.botshift.platform.RolloutSession;
import dev.botshift.platform.StateOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "abort",
        description = {"Roll back: all traffic to blue, green drained and stopped. The expanded schema stays.",
                "Refused from the contract on (the old version cannot run on the contracted schema).",
                "If a deploy is running it does the rollback; otherwise this command does it and exits 3."})
final class AbortCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<app>")
    String app;

    @Mixin
    StateOptions state;

    @Override
    public Integer call() throws Exception {
        try (StateStore store = Rollouts.store(state)) {
            return abort(store);
        }
    }

    private int abort(StateStore store) throws InterruptedException {
        RolloutState s = Rollouts.read(store, app, state);
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
            Rollouts.request(store, app, state, Request.Kind.ABORT);
            System.out.println("abort requested: the running deploy (" + running.holder() + ") rolls back within one interval");
            return 0;
        }
    }
}
