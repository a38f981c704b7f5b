package dev.botshift.state.local;

import dev.botshift.state.AppLock;
import dev.botshift.state.LockLostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A lock taken through {@link FileStateStore}; renew and close act only on this acquisition (its token). */
final class FileAppLock implements AppLock {
    private final FileStateStore store;
    private final String app;
    private final Duration ttl;
    private final Clock clock;
    private volatile LockRecord record;
    private volatile boolean closed;
    private volatile LockLostException lost;

    FileAppLock(FileStateStore store, String app, LockRecord record, Duration ttl, Clock clock) {
        this.store = store;
        this.app = app;
        this.record = record;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public String holder() {
        return record.holder();
    }

    @Override
    public Instant since() {
        return record.since();
    }

    /** When the lock expires unless renewed again. */
    public Instant expiresAt() {
        return record.expiresAt();
    }

    /** This acquisition's identity: a state write is allowed only while it is the token on disk. */
    String token() {
        return record.token();
    }

    @Override
    public synchronized void renew() {
        if (closed) {
            throw new IllegalStateException("the lock of '" + app + "' was already released");
        }
        try {
            record = store.renew(app, record, ttl);
        } catch (LockLostException e) {
            lost = e;
            throw e;
        }
    }

    @Override
    public void check() {
        LockLostException known = lost;
        if (known != null) {
            throw known;
        }
        if (!clock.instant().isBefore(record.expiresAt())) {
            throw new LockLostException(app, "it was not renewed before it expired at " + record.expiresAt());
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            store.release(app, record);
        }
    }
}
