package dev.botshift.platform;

import dev.botshift.state.AppLock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Renews the app lock in the background while a long effect (an expand, a drain) blocks the rollout loop, so a live
 * deploy never loses its lock and a dead one loses it within the lock's ttl.
 */
public final class LockKeeper implements AutoCloseable {
    private final AppLock lock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "botshift-lock-keeper");
        t.setDaemon(true);
        return t;
    });

    public LockKeeper(AppLock lock, Duration ttl) {
        this.lock = lock;
        long every = Math.max(200, ttl.toMillis() / 3);
        timer.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    private void renew() {
        try {
            lock.renew();
        } catch (RuntimeException e) {
            System.err.println("botshift: could not renew the lock: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        // not shutdownNow: interrupting a renewal in the middle of its file write only yields a false alarm
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lock.close();
    }
}
