package dev.botshift.state.local;

import dev.botshift.state.AppLock;
import java.time.Duration;
import java.time.Instant;

/** A lock taken through {@link FileStateStore}; renew and close act only on this acquisition (its token). */
final class FileAppLock implements AppLock {
    private final FileStateStore store;
    private final String app;
    private final Duration ttl;
    private volatile LockRecord record;
    private volatile boolean closed;

    FileAppLock(FileStateStore store, String app, LockRecord record, Duration ttl) {
        this.store = store;
        this.app = app;
        this.record = record;
        this.ttl = ttl;
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

    @Override
    public synchronized void renew() {
        if (closed) {
            throw new IllegalStateException("the lock of '" + app + "' was already released");
        }
        record = store.renew(app, record, ttl);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            store.release(app, record);
        }
    }
}
