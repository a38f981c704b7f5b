package dev.botshift.rollout;

import dev.botshift.state.StateStore;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Hands a manual command to an app's rollout through the store's inbox: no lock needed, so it works while a supervisor
 * or controller drives the rollout. The driver takes it in before its next decision and records the answer
 * ({@code CommandAccepted} or {@code CommandRefused}) with the request's id.
 */
public final class ManualCommands {
    private ManualCommands() {
    }

    /** @return the request, with the id its answer will carry */
    public static Request append(StateStore store, String app, Request.Kind kind, String by, Instant now) {
        return append(store, app, new Request(UUID.randomUUID().toString(), kind, by, now));
    }

    /** Hands in {@code r} (e.g. one meant for a named release only). */
    public static Request append(StateStore store, String app, Request r) {
        store.request(app, r.id(), RolloutStateCodec.encodeRequest(r));
        return r;
    }

    /** The answer to request {@code id} in {@code state}'s history, if it has been given. */
    public static Optional<RolloutEvent> answer(RolloutState state, String id) {
        for (RolloutEvent e : state.history()) {
            if (e instanceof RolloutEvent.CommandAccepted a && a.requestId().equals(id)
                    || e instanceof RolloutEvent.CommandRefused r && r.requestId().equals(id)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
