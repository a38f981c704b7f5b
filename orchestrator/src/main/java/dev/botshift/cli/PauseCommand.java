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

@Command(name = "pause", sortOptions = false,
        description = "Hold the rollout where it is until 'botshift resume': the split stays, and the judge keeps "
                + "watching green and still rolls back on a spike, with nobody attached. Waits for the answer: exit 0 "
                + "when accepted, 2 with the reason when refused.")
final class PauseCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<app>")
    String app;

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
            RolloutState s = Rollouts.request(store, app, state, Request.Kind.PAUSE, RolloutTarget.of(release, attempt),
                    timeout, System.err);
            System.out.println("paused " + app + " " + s.release() + " (" + s.phase().code() + "); 'botshift resume "
                    + app + "' goes on");
            return 0;
        }
    }
}
