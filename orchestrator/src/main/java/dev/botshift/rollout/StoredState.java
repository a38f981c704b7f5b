package dev.botshift.rollout;

import dev.botshift.state.StateConflictException;
import dev.botshift.state.StateStore;
import dev.botshift.state.StateStore.Versioned;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The runner's view of the stored document: its version, and the merge with manual commands that the CLI appended
 * while the runner was deciding (the only field anyone else writes).
 */
final class StoredState {
    private final StateStore store;
    private final String app;
    private Versioned current;
    private RolloutState state;

    private StoredState(StateStore store, String app, Versioned current) {
        this.store = store;
        this.app = app;
        this.current = current;
        this.state = RolloutStateCodec.decode(current.json());
    }

    static StoredState load(StateStore store, String app) {
        Versioned v = store.read(app).orElseThrow(() -> new IllegalStateException("no rollout stored for " + app));
        return new StoredState(store, app, v);
    }

    RolloutState state() {
        return state;
    }

    /** Picks up commands appended since our last write. */
    RolloutState refresh(RolloutState mine) {
        Versioned v = store.read(app).orElse(current);
        if (v.version().equals(current.version())) {
            return mine;
        }
        RolloutState theirs = RolloutStateCodec.decode(v.json());
        current = v;
        return mine.withRequests(merge(mine.requests(), mine.requests(), theirs.requests()));
    }

    /** Writes {@code next}; on a conflict merges the other writer's new commands and tries again. */
    RolloutState save(RolloutState before, RolloutState next) {
        RolloutState toWrite = next;
        for (int attempt = 0; ; attempt++) {
            try {
                current = store.write(app, RolloutStateCodec.encode(toWrite), current.version());
                state = toWrite;
                return toWrite;
            } catch (StateConflictException e) {
                if (attempt > 20) {
                    throw e;
                }
                Versioned v = store.read(app).orElseThrow(() -> e);
                RolloutState theirs = RolloutStateCodec.decode(v.json());
                current = v;
                toWrite = next.withRequests(merge(before.requests(), next.requests(), theirs.requests()));
            }
        }
    }

    /** Our remaining requests plus those the other writer added; never resurrects the ones we consumed. */
    private static List<Request> merge(List<Request> before, List<Request> ours, List<Request> theirs) {
        Set<String> known = new HashSet<>();
        before.forEach(r -> known.add(r.id()));
        List<Request> merged = new ArrayList<>(ours);
        Set<String> present = new HashSet<>();
        ours.forEach(r -> present.add(r.id()));
        for (Request r : theirs) {
            if (!known.contains(r.id()) && !present.contains(r.id())) {
                merged.add(r);
            }
        }
        return merged;
    }
}
