package dev.botshift.testing;

import java.time.Duration;
import java.time.Instant;

/** A clock the test moves by hand: rollout timers, lock and lease expiry, without sleeping. */
public final class MutableClock extends UtcClock {
    private volatile Instant now;

    public MutableClock(Instant start) {
        this.now = start;
    }

    public void advance(Duration by) {
        now = now.plus(by);
    }

    @Override
    public Instant instant() {
        return now;
    }
}
