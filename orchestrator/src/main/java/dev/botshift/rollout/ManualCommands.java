package dev.botshift.rollout;

import dev.botshift.core.InvalidInputException;
import dev.botshift.state.StateConflictException;
import dev.botshift.state.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Hands a manual command to an app's rollout by appending it to the stored state (compare-and-set, retried). */
public final class ManualCommands {
    private ManualCommands() {
    }

    /** @return the state as it was before the command was added */
    public static RolloutState append(StateStore store, String app, Request.Kind kind, String by, Instant now) {
        for (int attempt = 0; ; attempt++) {
            StateStore.Versioned v = store.read(app)
                    .orElseThrow(() -> new InvalidInputException("no rollout of '" + app + "' found"));
            RolloutState s = RolloutStateCodec.decode(v.json());
            List<Request> requests = new ArrayList<>(s.requests());
            requests.add(new Request(UUID.randomUUID().toString(), kind, by, now));
            try {
                store.write(app, RolloutStateCodec.encode(s.withRequests(requests)), v.version());
                return s;
            } catch (StateConflictException e) {
                if (attempt >= 20) {
                    throw e;
                }
            }
        }
    }
}
