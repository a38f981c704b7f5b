package dev.botshift.state;

import java.time.Duration;
import java.util.Optional;

/**
 * The state seam: one JSON document per app, with compare-and-set, and a lock per app that expires when its holder
 * dies. The store does not interpret the document: the rollout owns its shape. Closing it releases what it opened
 * (a Kubernetes client it owns); the stored state and a held lock are not affected.
 */
public interface StateStore extends AutoCloseable {

    Optional<Versioned> read(String app);

    /**
     * Writes {@code json} if the stored version is still {@code expectedVersion} (null: the document must not exist).
     *
     * @throws StateConflictException when someone else wrote in between
     */
    Versioned write(String app, String json, String expectedVersion);

    /**
     * Takes the app's lock for {@code holder}, taking over an expired one.
     *
     * @throws LockHeldException when a live holder has it
     */
    AppLock lock(String app, String holder, Duration ttl);

    @Override
    default void close() {
    }

    /** A stored document and its version (opaque: a counter, a resourceVersion). */
    record Versioned(String json, String version) {
    }
}
