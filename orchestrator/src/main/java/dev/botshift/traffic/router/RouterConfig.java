package dev.botshift.traffic.router;

import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.traffic.GreenGuard;
import dev.botshift.traffic.GuardTrip;

import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the router does, as one immutable value: the split, the backends of each colour and the body field that
 * keeps a conversation on one colour. The router swaps whole values, so a request sees either the old or the new
 * config, never half of each.
 *
 * @param weights  the blue/green split in percent
 * @param backends base URIs per colour (both colours always present, possibly empty)
 * @param stickyBy where a body names its conversation ({@link dev.botshift.core.StickyPaths}: {@code telegram}, or
 *                 {@code $.message.chat.id}), or {@code null} for no stickiness
 * @param guard    the router's own guard on green ({@link GreenGuard}), or {@code null}
 * @param trip     why the guard cut green, once it did ({@code guard} then names the rollout it belonged to); the
 *                 router runs no test while it is set
 */
public record RouterConfig(Weights weights, Map<Slot, List<URI>> backends, String stickyBy, GreenGuard guard,
                           GuardTrip trip) {

    public RouterConfig {
        Objects.requireNonNull(weights, "weights");
        EnumMap<Slot, List<URI>> copy = new EnumMap<>(Slot.class);
        for (Slot slot : Slot.values()) {
            copy.put(slot, List.copyOf(backends == null ? List.of() : backends.getOrDefault(slot, List.of())));
        }
        backends = Map.copyOf(copy);
        if (stickyBy != null && stickyBy.isBlank()) {
            stickyBy = null;
        }
        if (stickyBy != null) {
            StickyField.parse(stickyBy);
        }
        if (trip != null && guard == null) {
            throw new IllegalArgumentException("a guard's trip without the guard");
        }
    }

    public RouterConfig(Weights weights, Map<Slot, List<URI>> backends, String stickyBy) {
        this(weights, backends, stickyBy, null, null);
    }

    /** All traffic to blue, no backends, not sticky: what a fresh router starts with. */
    public static RouterConfig initial() {
        return new RouterConfig(Weights.allTo(Slot.A), Map.of(), null);
    }

    public List<URI> backendsOf(Slot slot) {
        return backends.get(slot);
    }

    public RouterConfig withWeights(Weights newWeights) {
        return new RouterConfig(newWeights, backends, stickyBy, guard, trip);
    }

    public RouterConfig withBackends(Slot slot, List<URI> uris) {
        EnumMap<Slot, List<URI>> copy = new EnumMap<>(backends);
        copy.put(slot, uris);
        return new RouterConfig(weights, copy, stickyBy, guard, trip);
    }

    public RouterConfig withStickyBy(String path) {
        return new RouterConfig(weights, backends, path, guard, trip);
    }

    /** The same config guarded by {@code with} (null: unguarded), with {@code trip} on record (null: none). */
    public RouterConfig withGuard(GreenGuard with, GuardTrip tripped) {
        return new RouterConfig(weights, backends, stickyBy, with, tripped);
    }

    /** The guard whose test runs on the answers now: armed and not tripped. */
    public GreenGuard armedGuard() {
        return trip == null ? guard : null;
    }

    /**
     * What the router cut green to: all of the guarded slot's traffic to the other one, the trip on record. Its
     * backends stay: the rollback (the supervisor's) stops green, the router only stops sending to it.
     */
    public RouterConfig tripped(GuardTrip why) {
        return new RouterConfig(Weights.allTo(guard.slot().other()), backends, stickyBy, guard, why);
    }

    /**
     * The share of slot B that can actually be served, in percent: a slot without backends gets nothing, whatever
     * its weight says, so that a half-configured router never sends a request into a void.
     */
    public int effectivePercentOfB() {
        boolean aServes = !backendsOf(Slot.A).isEmpty() && weights.a() > 0;
        boolean bServes = !backendsOf(Slot.B).isEmpty() && weights.b() > 0;
        if (!bServes) {
            return 0;
        }
        return aServes ? weights.b() : 100;
    }

    /** Whether any slot can take a request at all. */
    public boolean canServe() {
        return effectivePercentOfB() > 0
                || (!backendsOf(Slot.A).isEmpty() && weights.a() > 0);
    }
}
