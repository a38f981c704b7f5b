package dev.botshift.cli;

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

@Command(name = "promote", sortOptions = false,
        description = {"Pass the current approval gate, or move to the next traffic step now. The supervisor (or the "
                + "controller) takes it within one analysis interval; this command waits for that answer and exits 0 "
                + "when it was accepted, 2 with the reason when it was refused.",
                "--full skips the remaining steps (green gets all traffic) but not the contract's safety conditions: "
                        + "the bake still runs and blue is still drained first."})
final class PromoteCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<app>")
    String app;

    @Option(names = "--full", description = "Skip the remaining traffic steps.")
    boolean full;

    @Option(names = "--release", paramLabel = "<release>", description = "Only if the open rollout is of this release.")
    String release;

    @Option(names = "--attempt", paramLabel = "<n>", description = "With --release: only this attempt of it.")
    Integer attempt;

    @Option(names = "--timeout", paramLabel = "<duration>", converter = StatusCommand.DurationConverter.class,
            defaultValue = Rollouts.ANSWER_WITHIN,
            description = "How long to wait for the answer (default ${DEFAULT-VALUE}); then exit code 6, the request "
                    + "still waiting in the inbox.")
    Duration timeout;

    @Mixin
    StateOptions state;

    @Override
    public Integer call() throws InterruptedException {
        try (StateStore store = Rollouts.store(state)) {
            RolloutState s = Rollouts.request(store, app, state, full ? Request.Kind.PROMOTE_FULL : Request.Kind.PROMOTE,
                    RolloutTarget.of(release, attempt), timeout, System.err);
            System.out.println((full ? "promote --full" : "promote") + " accepted for " + app + " " + s.release()
                    + " (now " + s.phase().code() + ")");
            return 0;
        }
    }
}
