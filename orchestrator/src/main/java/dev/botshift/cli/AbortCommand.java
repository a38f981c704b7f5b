package dev.botshift.cli;

import dev.botshift.core.InvalidInputException;
import dev.botshift.platform.StateOptions;
import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutState;
import dev.botshift.state.StateStore;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
    @Parameters(index = "0", paramLabel = "<app>")
    String app;

    @Option(names = "--release", paramLabel = "<release>",
            description = "Only if the open rollout is of this release (the plan's release).")
    String release;

    @Option(names = "--attempt", paramLabel = "<n>",
            description = "With --release: only if the open rollout is this attempt of it (see 'botshift status').")
    Integer attempt;

    @Option(names = "--timeout", paramLabel = "<duration>", converter = StatusCommand.DurationConverter.class,
            defaultValue = Rollouts.ANSWER_WITHIN,
            description = "How long to wait for the answer (default ${DEFAULT-VALUE}); then exit code 6, the request "
                    + "still waiting in the inbox.")
    Duration timeout;

    @Mixin
    StateOptions state;

    @Override
    public Integer call() throws Exception {
        RolloutTarget target = RolloutTarget.of(release, attempt);
        try (StateStore store = Rollouts.store(state)) {
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
                throw new InvalidInputException("cannot abort " + app + " " + s.release() + " (" + s.phase().code()
                        + "): blue is being drained, so the rollout can only go forward; finish with 'botshift resume "
                        + app + "'");
            }
            RolloutState accepted = Rollouts.request(store, app, state, Request.Kind.ABORT, target, timeout,
                    System.err);
            Follow follow = new Follow(store, app, (e, st) -> { }, System.err, DriverWatch.of(store, state, app));
            int code = follow.follow(accepted.release(), accepted.history().size(), Follow.Stop.END, null, null);
            OutcomeReport.print(follow.last(), code, Output.text, System.out);
            return code;
        }
    }
}
