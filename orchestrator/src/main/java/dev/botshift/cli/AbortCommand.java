package dev.botshift.cli;

import dev.botshift.core.InvalidInputException;
import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutState;
import dev.botshift.state.StateStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "abort", sortOptions = false,
        description = {"Roll back: all traffic to blue, green drained and stopped. The expanded schema stays.",
                "Refused from the contract on (the old version cannot run on the contracted schema), and once blue is "
                        + "being drained.",
                "The supervisor (or the controller) does the rollback; this command waits until it is done and exits "
                        + "3, or 2 with the reason when it was refused.",
                "With --release (and --attempt), only that rollout is rolled back: a different open one is refused "
                        + "with exit code 2 naming it. Pipelines pass their own release, so a failed run never rolls "
                        + "back someone else's (e.g. botshift abort my-bot --release 2.0.0 --attempt 1)."})
final class AbortCommand implements Callable<Integer> {
    @Mixin
    RequestOptions request;

    @Override
    public Integer call() throws Exception {
        String app = request.app;
        try (StateStore store = Rollouts.store(request.state, request.app)) {
            RolloutState s = Rollouts.read(store, app, request.state);
            request.target().check(s);
            if (s.phase().terminal()) {
                throw new InvalidInputException(app + " " + s.release() + " has already ended (" + s.phase().code() + ")");
            }
            if (s.phase().pastPointOfNoReturn()) {
                throw new InvalidInputException("cannot abort " + app + " " + s.release() + ": the contract has started, "
                        + "so the old version cannot run any more; finish with 'botshift resume " + app + "'");
            }
            if (!s.phase().rollbackable()) {
                throw new InvalidInputException("cannot abort " + app + " " + s.release() + " (" + s.phase().code()
                        + "): blue is being drained, so the rollout can only go forward; finish with 'botshift resume "
                        + app + "'");
            }
            RolloutState accepted = request.handIn(store, Request.Kind.ABORT);
            Follow follow = new Follow(store, app, (e, st) -> { }, System.err, Driver.of(store, request.state).watch(app));
            int code = follow.follow(accepted.release(), accepted.history().size(), Follow.Stop.END, null, null);
            OutcomeReport.print(follow.last(), code, Output.text, System.out);
            return code;
        }
    }
}
