package dev.botshift.cli;

import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutState;
import dev.botshift.state.StateStore;
import java.util.concurrent.Callable;
import dev.botshift.platform.StateOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "promote",
        description = {"Pass the current approval gate, or move to the next traffic step now. A running deploy picks it up "
                + "within one analysis interval; after 'deploy --detach', run 'botshift resume <app>' to carry on.",
                "--full skips the remaining steps (green gets all traffic) but not the contract's safety conditions: "
                        + "the bake still runs and blue is still drained first."})
final class PromoteCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<app>")
    String app;

    @Option(names = "--full", description = "Skip the remaining traffic steps.")
    boolean full;

    @Mixin
    StateOptions state;

    @Override
    public Integer call() {
        RolloutState s;
        try (StateStore store = Rollouts.store(state)) {
            s = Rollouts.request(store, app, state, full ? Request.Kind.PROMOTE_FULL : Request.Kind.PROMOTE);
        }
        System.out.println((full ? "promote --full" : "promote") + " requested for " + app + " " + s.release()
                + " (now " + s.phase().code() + ")");
        return 0;
    }
}
