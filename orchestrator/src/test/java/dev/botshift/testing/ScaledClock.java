package dev.botshift.testing;

import java.time.Duration;
import java.time.Instant;

/**
 * Real time, running {@code speed} times faster, the same for every thread that reads it. For tests where several
 * actors (two controller replicas, their drivers, the lease takeover) each wait on their own: a {@link MutableClock}
 * advanced by every one of them would run as fast as their sum and expire a live holder's lease. Sleeping
 * {@link #sleep} keeps every actor on this time.
 */
public final class ScaledClock extends UtcClock {
    private final Instant start;
    private final long origin = System.nanoTime();
    private final int speed;

    public ScaledClock(Instant start, int speed) {
        this.start = start;
        this.speed = speed;
    }

    /** Sleeps {@code d} of this clock's time. */
    public void sleep(Duration d) throws InterruptedException {
        Thread.sleep(Math.max(1, d.toMillis() / speed));
    }

    @Override
    public Instant instant() {
        return start.plusNanos((System.nanoTime() - origin) * speed);
    }
}
