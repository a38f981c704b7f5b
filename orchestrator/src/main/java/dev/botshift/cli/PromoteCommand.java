package dev.botshift.cli;

import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutState;
import dev.botshift.state.StateStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "promote", sortOptions = false,
        description = {"Pass the current approval gate, or move to the next traffic step now. The supervisor (or the "
                + "controller) takes it within one analysis interval; this command waits for that answer and exits 0 "
                + "when it was accepted, 2 with the reason when it was refused.",
                "--full skips the remaining steps (green gets all traffic) but not the contract's safety conditions: "
                        + "the bake still runs and blue is still drained first."})
final class PromoteCommand implements Callable<Integer> {
    @Option(names = "--full", description = "Skip the remaining traffic steps.")
    boolean full;

    @Mixin
    RequestOptions request;

    @Override
    public Integer call() throws InterruptedException {
        try (StateStore store = Rollouts.store(request.state, request.app)) {
            RolloutState s = request.handIn(store, full ? Request.Kind.PROMOTE_FULL : Request.Kind.PROMOTE);
            System.out.println((full ? "promote --full" : "promote") + " accepted for " + request.app + " "
                    + s.release() + " (now " + s.phase().code() + ")");
            return 0;
        }
    }
}
