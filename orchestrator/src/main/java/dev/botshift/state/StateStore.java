package dev.botshift.state;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * The state seam: one JSON document per app, written only by the holder of the app's lock (fenced: a stale holder's
 * write is refused, never merged), a lock per app that expires when its holder dies, and an inbox of manual commands
 * that anyone may add to and only the lock holder consumes. The store does not interpret the document: the rollout
 * owns its shape. Closing the store releases what it opened (a Kubernetes client it owns); the stored state and a held
 * lock are not affected.
 */
public interface StateStore extends AutoCloseable {

    Optional<Versioned> read(String app);

    /**
     * Writes {@code json} if the stored version is still {@code expectedVersion} (null: the document must not exist)
     * and {@code lock} is still the app's lock.
     *
     * @throws StateConflictException when someone else wrote in between
     * @throws LockLostException      when {@code lock} is no longer the app's lock (it expired and was taken over)
     */
    Versioned write(String app, String json, String expectedVersion, AppLock lock);

    /**
     * Takes the app's lock for {@code holder}, taking over an expired one.
     *
     * @throws LockHeldException when a live holder has it
     */
    AppLock lock(String app, String holder, Duration ttl);

    /**
     * Notes every app lock's current record, so that a later {@link #lock} taking over an abandoned one counts the
     * time it has stood unchanged from now rather than from then (a standby controller calls it every round). Locks
     * judged otherwise (a local holder's process is alive or not) need nothing: the default does nothing.
     */
    default void watchLocks() {
    }

    /** Adds a manual command ({@code json}, opaque) to the app's inbox under {@code id}; no lock needed. */
    void request(String app, String id, String json);

    /** The app's inbox: id to command, oldest first. */
    LinkedHashMap<String, String> requests(String app);

    /** Removes commands the lock holder has taken into the state. */
    void consumed(String app, Collection<String> ids);

    @Override
    default void close() {
    }

    /** A stored document and its version (opaque: a counter, a resourceVersion). */
    record Versioned(String json, String version) {
    }
}
