package dev.botshift.platform;

import dev.botshift.state.AppLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Renews the app lock in the background while a long effect (an expand, a drain) blocks the rollout loop, so a live
 * deploy never loses its lock and a dead one loses it within the lock's ttl. The loop also calls
 * {@link #renewIfDue()} between decisions, which keeps the lock fresh by the session's own clock.
 */
public final class LockKeeper implements AutoCloseable {
    private final AppLock lock;
    private final Clock clock;
    private final Duration every;
    private Instant renewed;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "botshift-lock-keeper");
        t.setDaemon(true);
        return t;
    });

    public LockKeeper(AppLock lock, Duration ttl, Clock clock) {
        this.lock = lock;
        this.clock = clock;
        this.every = Duration.ofMillis(Math.max(200, ttl.toMillis() / 3));
        this.renewed = clock.instant();
        timer.scheduleAtFixedRate(this::renewIfDue, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Renews when a third of the ttl has passed since the last renewal. */
    public synchronized void renewIfDue() {
        Instant now = clock.instant();
        if (Duration.between(renewed, now).compareTo(every) < 0) {
            return;
        }
        try {
            lock.renew();
            renewed = now;
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
