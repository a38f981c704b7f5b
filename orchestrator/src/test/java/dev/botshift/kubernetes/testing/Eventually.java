package dev.botshift.kubernetes.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits in tests for something that a watch delivers asynchronously (informer caches, the kubelet fixture). */
public final class Eventually {
    private Eventually() {
    }

    public static void await(Duration limit, String what, BooleanSupplier condition) {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }
}
