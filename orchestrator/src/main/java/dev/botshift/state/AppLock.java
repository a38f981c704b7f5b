package dev.botshift.state;

import java.time.Instant;

/** A held app lock. Renew well within its ttl; close to release. */
public interface AppLock extends AutoCloseable {
    String holder();

    Instant since();

    /** @throws LockHeldException when the lock was lost (expired and taken over) */
    void renew();

    @Override
    void close();
}
