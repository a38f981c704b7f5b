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
import dev.botshift.state.StateConflictException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What several commands share: finding an app's rollout and handing it a manual command. */
final class Rollouts {
    /** compare-and-set retries when the running deploy writes in between (it writes every interval) */
    private static final int CAS_ATTEMPTS = 20;

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

    /**
     * As {@link #request(StateStore, String, StateOptions, Request.Kind)}, but only to the rollout {@code target}
     * names: checked on the very version the command is written against (compare-and-set), so a different release
     * deployed between the check and the write is refused instead of receiving the command.
     */
    static RolloutState request(StateStore store, String app, StateOptions options, Request.Kind kind,
                                RolloutTarget target) {
        if (target.equals(RolloutTarget.ANY)) {
            return request(store, app, options, kind);
        }
        for (int attempt = 0; ; attempt++) {
            StateStore.Versioned v = store.read(app).orElseThrow(() -> new InvalidInputException(
                    "no rollout of '" + app + "' found (it was removed while this command ran)"));
            RolloutState s = RolloutStateCodec.decode(v.json());
            target.check(s);
            List<Request> requests = new ArrayList<>(s.requests());
            requests.add(new Request(UUID.randomUUID().toString(), kind, Identity.who(), Instant.now()));
            try {
                store.write(app, RolloutStateCodec.encode(s.withRequests(requests)), v.version());
                return s;
            } catch (StateConflictException e) {
                if (attempt >= CAS_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
