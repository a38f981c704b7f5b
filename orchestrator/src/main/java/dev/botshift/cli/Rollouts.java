package dev.botshift.cli;

import dev.botshift.core.DurationText;
import dev.botshift.core.ExitCode;
import dev.botshift.core.InvalidInputException;
import dev.botshift.platform.Identity;
import dev.botshift.platform.Platforms;
import dev.botshift.platform.Reachability;
import dev.botshift.platform.StateOptions;
import dev.botshift.rollout.ManualCommands;
import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.state.StateStore;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** What several commands share: finding an app's rollout, and handing it a manual command and waiting for the answer. */
final class Rollouts {
    /** How long a command waits for the driver's answer by default: the effect it is carrying out may take a while. */
    static final String ANSWER_WITHIN = "2m";

    private Rollouts() {
    }

    /** The rollouts' store; on Kubernetes once the API is seen to answer ({@link Reachability#kubernetesApi}). */
    static StateStore store(StateOptions options, String app) {
        if (options.namespace() != null) {
            Reachability.kubernetesApi(options.namespace(), app);
        }
        return Platforms.stateStore(options);
    }

    static RolloutState read(StateStore store, String app, StateOptions options) {
        return store.read(app).map(v -> RolloutStateCodec.decode(v.json()))
                .orElseThrow(() -> new InvalidInputException("no rollout of '" + app + "' found in "
                        + (options.namespace() != null ? "namespace " + options.namespace() : options.stateDir())
                        + " (check the app name, --state-dir or --namespace)"));
    }

    /**
     * Hands {@code kind} to the app's open rollout (only to the one {@code target} names), makes sure something drives
     * it, and waits for the answer.
     *
     * @return 0 when accepted; throws when refused (exit 2, with the reason) or unanswered (exit 6)
     */
    static RolloutState request(StateStore store, String app, StateOptions options, Request.Kind kind,
                                RolloutTarget target, Duration within, PrintStream err) throws InterruptedException {
        RolloutState s = read(store, app, options);
        target.check(s);
        Request request = ManualCommands.append(store, app, new Request(UUID.randomUUID().toString(), kind,
                Identity.who(), Instant.now(), target.release(), target.attempt()));
        Driver.of(store, options).wake(s, err);
        Follow follow = new Follow(store, app, (e, st) -> { }, err, DriverWatch.NONE);
        Optional<RolloutEvent> answer = follow.answer(request, Instant.now().plus(within));
        if (answer.isEmpty()) {
            throw new Unanswered(kind.text() + " was handed to " + app + " " + s.release() + " but not answered within "
                    + DurationText.format(within) + "; it waits in the inbox for whatever drives the rollout "
                    + "(botshift status " + app + ")" + Optional.ofNullable(follow.last()).flatMap(Follow::blocked)
                    .map(b -> ", which cannot drive it now: " + b.why()).orElse(""));
        }
        if (answer.get() instanceof RolloutEvent.CommandRefused refused) {
            throw new InvalidInputException(kind.text() + " refused for " + app + " " + s.release() + ": " + refused.why());
        }
        return follow.last();
    }

    /** The driver did not answer in time: exit 6. */
    static final class Unanswered extends dev.botshift.core.BotshiftException {
        Unanswered(String message) {
            super(ExitCode.TIMED_OUT, message);
        }
    }
}
