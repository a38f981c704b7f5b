package dev.botshift.state;

import java.time.Duration;
import java.util.Optional;

/**
 * The state seam: one JSON document per app, with compare-and-set, and a lock per app that expires when its holder
 * dies. The store does not interpret the document: the rollout owns its shape.
 */
public interface StateStore {

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

    /** A stored document and its version (opaque: a counter, a resourceVersion). */
    record Versioned(String json, String version) {
    }
}
