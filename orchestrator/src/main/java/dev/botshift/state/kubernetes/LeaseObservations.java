package dev.botshift.state.kubernetes;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * When this process first saw each Lease's current record (its resourceVersion), by a monotonic time of its own. A
 * Lease's resourceVersion changes with every write, so "first seen at t" means "unchanged since t at least": a takeover
 * may count its wait from there instead of from the moment it starts watching. That is client-go's leader election
 * (observedTime), and why a controller replica notes every Lease while it stands by: when the leader dies, both its
 * leadership and its apps' Leases have already been watched for a while (docs/supervisor.md).
 *
 * <p>Only this process's own time enters: a wall clock that steps (NTP, a VM resumed) could make a record look
 * unchanged for longer than it was and hand a lock to two holders.
 */
public final class LeaseObservations {
    private record Seen(String version, long atNanos) {
    }

    private final LongSupplier nanos;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    /** @param nanos a monotonic time in nanoseconds ({@code System::nanoTime}; tests: their clock's time) */
    public LeaseObservations(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** Notes the Lease {@code name} at {@code version}, and answers how long it has been at that version as seen here. */
    public Duration unchangedFor(String name, String version) {
        long now = nanos.getAsLong();
        Seen first = seen.compute(name, (n, s) -> s != null && s.version().equals(version) ? s : new Seen(version, now));
        return Duration.ofNanos(now - first.atNanos());
    }
}
