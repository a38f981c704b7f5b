package dev.botshift.cli;

import dev.botshift.core.InvalidInputException;
import dev.botshift.platform.Platforms;
import dev.botshift.platform.Identity;
import dev.botshift.platform.StateOptions;
import dev.botshift.rollout.ManualCommands;
import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.state.StateStore;
import java.time.Instant;

/** What several commands share: finding an app's rollout and handing it a manual command. */
final class Rollouts {
    private Rollouts() {
    }

    static StateStore store(StateOptions options) {
        return Platforms.stateStore(options);
    }

    static RolloutState read(StateStore store, String app, StateOptions options) {
        return store.read(app).map(v -> RolloutStateCodec.decode(v.json()))
                .orElseThrow(() -> new InvalidInputException("no rollout of '" + app + "' found in "
                        + (options.namespace() != null ? "namespace " + options.namespace() : options.stateDir())
                        + " (check the app name, --state-dir or --namespace)"));
    }

    /** Appends a manual command to the stored state; the running deploy picks it up within one interval. */
    static RolloutState request(StateStore store, String app, StateOptions options, Request.Kind kind) {
        read(store, app, options);
        return ManualCommands.append(store, app, kind, Identity.who(), Instant.now());
    }
}
