package dev.botshift.state;

import java.time.Instant;

/**
 * A held app lock. Renew well within its ttl; close to release. Every state write and every effect of its holder
 * first checks that it is still held ({@link #check()}): a holder that lost it stops acting at once.
 */
public interface AppLock extends AutoCloseable {
    String holder();

    Instant since();

    /** @throws LockLostException when the lock was lost (expired and taken over, or found gone) */
    void renew();

    /**
     * Whether this holder may still act, by what it knows without asking the store: not lost at the last renewal,
     * and the last successful renewal recent enough that nobody else can have taken the lock over.
     *
     * @throws LockLostException when it may not
     */
    void check();

    @Override
    void close();
}
