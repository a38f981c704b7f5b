package dev.botshift.rollout;

import java.time.Duration;

/** Waiting between decisions; injected so tests run the rollout without real sleeps. */
@FunctionalInterface
public interface Pauser {
    void pause(Duration d) throws InterruptedException;

    Pauser REAL = d -> Thread.sleep(Math.max(0, d.toMillis()));
}
