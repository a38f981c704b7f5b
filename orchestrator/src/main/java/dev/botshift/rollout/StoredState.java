package dev.botshift.rollout;

import dev.botshift.state.AppLock;
import dev.botshift.state.LockLostException;
import dev.botshift.state.StateConflictException;
import dev.botshift.state.StateStore;
import dev.botshift.state.StateStore.Versioned;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runner's view of the stored document: its version, fenced writes under the app's lock, and the inbox of manual
 * commands. The document has one writer, the lock holder; the CLI adds commands to the inbox, which the holder takes
 * into the state and then removes. Nothing is merged: a conflicting write means someone else holds the lock now.
 */
final class StoredState {
    private final StateStore store;
    private final String app;
    private final AppLock lock;
    private Versioned current;
    private RolloutState state;
    /** Inbox entries taken into the state, removed from the inbox once that state is stored. */
    private final Set<String> taken = new HashSet<>();

    private StoredState(StateStore store, String app, AppLock lock, Versioned current) {
        this.store = store;
        this.app = app;
        this.lock = lock;
        this.current = current;
        this.state = RolloutStateCodec.decode(current.json());
    }

    static StoredState load(StateStore store, String app, AppLock lock) {
        Versioned v = store.read(app).orElseThrow(() -> new IllegalStateException("no rollout stored for " + app));
        return new StoredState(store, app, lock, v);
    }

    RolloutState state() {
        return state;
    }

    /** Takes the inbox's commands that this rollout has not seen yet (neither pending nor answered). */
    RolloutState withInbox(RolloutState mine) {
        Map<String, String> inbox = store.requests(app);
        if (inbox.isEmpty()) {
            return mine;
        }
        Set<String> seen = seen(mine);
        List<Request> added = new ArrayList<>(mine.requests());
        for (var entry : inbox.entrySet()) {
            Request r = RolloutStateCodec.decodeRequest(entry.getValue());
            taken.add(entry.getKey()); // answered before, or taken now, or unreadable: not waited on again
            if (r != null && seen.add(r.id())) {
                added.add(r);
            }
        }
        return added.size() == mine.requests().size() ? mine : mine.withRequests(added);
    }

    /**
     * Writes {@code next} under the lock; then the inbox forgets the commands the stored state now holds or answered.
     *
     * @throws LockLostException when the lock is lost or someone else wrote the state meanwhile
     */
    RolloutState save(RolloutState next) {
        String json = RolloutStateCodec.encode(next);
        for (int attempt = 1; ; attempt++) {
            lock.check();
            try {
                current = store.write(app, json, current.version(), lock);
                break;
            } catch (StateConflictException e) {
                // nothing is merged: if the stored document moved on, someone else wrote it; if it did not (an API
                // server's 409 that stored nothing), the same write is tried again
                Versioned stored = store.read(app).orElseThrow(() -> e);
                if (!stored.version().equals(current.version()) || attempt >= 5) {
                    throw new LockLostException(app, "someone else wrote its state meanwhile");
                }
            }
        }
        state = next;
        if (!taken.isEmpty()) {
            store.consumed(app, List.copyOf(taken));
            taken.clear();
        }
        return next;
    }

    /** Ids of the commands this state holds or has answered. */
    private static Set<String> seen(RolloutState s) {
        Set<String> ids = new HashSet<>();
        s.requests().forEach(r -> ids.add(r.id()));
        for (RolloutEvent e : s.history()) {
            if (e instanceof RolloutEvent.CommandAccepted a) {
                ids.add(a.requestId());
            } else if (e instanceof RolloutEvent.CommandRefused r) {
                ids.add(r.requestId());
            }
        }
        return ids;
    }
}
