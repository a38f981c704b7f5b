package dev.botshift.cli;

import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutState;
import dev.botshift.state.StateStore;
import java.util.concurrent.Callable;
import dev.botshift.platform.StateOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "pause",
        description = "Hold the rollout where it is (weights stay; analysis keeps watching and still rolls back on a spike) "
                + "until 'botshift resume' or 'botshift promote'.")
final class PauseCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<app>")
    String app;

    @Mixin
    StateOptions state;

    @Override
    public Integer call() {
        RolloutState s;
        try (StateStore store = Rollouts.store(state)) {
            s = Rollouts.request(store, app, state, Request.Kind.PAUSE);
        }
        System.out.println("pause requested for " + app + " " + s.release() + " (now " + s.phase().code() + ")");
        return 0;
    }
}
