package dev.botshift.example.sentiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/** Decides, per webhook request, whether to fake a failure: how a release with a bug is simulated in demos. */
final class FaultInjector {

    /** What to do with one request. */
    enum Fault { NONE, FAIL_500, FAIL_SILENTLY }

    private static final long SWITCH_LOOK_NANOS = Duration.ofMillis(50).toNanos();

    private final double rate;
    private final double silentRate;
    private final Duration delay;
    private final long startsAtNanos;
    private final Path switchFile;
    private volatile boolean switched;
    private volatile long lookedAtNanos;

    /**
     * Faults begin {@code after} from now, or at {@code at} (wall clock) when it is given, and, when {@code switchFile}
     * is given, happen only while that file exists (a test starts a fault, and ends it as a forward fix would);
     * while they happen, every answer also comes {@code delay} later.
     */
    FaultInjector(double rate, double silentRate, Duration after, Instant at, Path switchFile, Duration delay) {
        this.rate = rate;
        this.silentRate = silentRate;
        this.delay = delay;
        Duration startsIn = at == null ? after : Duration.between(Instant.now(), at);
        this.startsAtNanos = System.nanoTime() + Math.max(0, startsIn.toNanos());
        this.switchFile = switchFile;
        this.lookedAtNanos = System.nanoTime() - 2 * SWITCH_LOOK_NANOS;
    }

    /** Drawn before the update is stored: a 500 fault stores nothing; a silent fault applies after storing. */
    Fault draw() {
        if (!on()) {
            return Fault.NONE;
        }
        double roll = ThreadLocalRandom.current().nextDouble();
        if (roll < rate) {
            return Fault.FAIL_500;
        }
        // Both rates are fractions of all requests: [0, rate) fails loudly, [rate, rate + silentRate) silently.
        return roll < rate + silentRate ? Fault.FAIL_SILENTLY : Fault.NONE;
    }

    /** How much later this request is answered: the configured delay while faults are on, else none. */
    Duration delay() {
        return delay.isZero() || !on() ? Duration.ZERO : delay;
    }

    private boolean on() {
        if (System.nanoTime() - startsAtNanos < 0) {
            return false;
        }
        if (switchFile != null) {
            long now = System.nanoTime();
            if (now - lookedAtNanos > SWITCH_LOOK_NANOS) { // one look per 50 ms, not one per request
                switched = Files.exists(switchFile);
                lookedAtNanos = now;
            }
            return switched;
        }
        return true;
    }
}
