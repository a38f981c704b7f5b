package dev.botshift.cli;

import dev.botshift.platform.StateOptions;
import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutState;
import dev.botshift.state.StateStore;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What the commands that hand a request to a running rollout (pause, promote, abort) share on the command line: the
 * app, which of its rollouts the request is for, how long to wait for the answer, and where the state lives.
 */
final class RequestOptions {
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

    RolloutTarget target() {
        return RolloutTarget.of(release, attempt);
    }

    /** Hands {@code kind} to the app's open rollout and waits for the answer (see {@link Rollouts#request}). */
    RolloutState handIn(StateStore store, Request.Kind kind) throws InterruptedException {
        return Rollouts.request(store, app, state, kind, target(), timeout, System.err);
    }
}
