package dev.botshift.cli;

import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutState;
import dev.botshift.state.StateStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "pause", sortOptions = false,
        description = "Hold the rollout where it is until 'botshift resume': the split stays, and the judge keeps "
                + "watching green and still rolls back on a spike, with nobody attached. Waits for the answer: exit 0 "
                + "when accepted, 2 with the reason when refused.")
final class PauseCommand implements Callable<Integer> {
    @Mixin
    RequestOptions request;

    @Override
    public Integer call() throws InterruptedException {
        try (StateStore store = Rollouts.store(request.state, request.app)) {
            RolloutState s = request.handIn(store, Request.Kind.PAUSE);
            System.out.println("paused " + request.app + " " + s.release() + " (" + s.phase().code()
                    + "); 'botshift resume " + request.app + "' goes on");
            return 0;
        }
    }
}
