package dev.botshift.traffic.router;

import dev.botshift.core.InvalidInputException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The config in force, swapped atomically. Every request reads it once and routes by that value to its end, so a
 * change never drops or splits an in-flight request. The generation counts changes since start, whether they came
 * through the admin API or from the source. Every config, whoever brings it, must pass the {@link BackendPolicy}.
 */
final class LiveConfig {
    private static final Logger LOG = LoggerFactory.getLogger(LiveConfig.class);

    record Versioned(long generation, RouterConfig config) { }

    private final RouterConfigSource source;
    private final BackendPolicy policy;
    private final AtomicReference<Versioned> current;

    /** @throws InvalidInputException when the source's config has a backend the policy refuses */
    LiveConfig(RouterConfigSource source, BackendPolicy policy) {
        this.source = source;
        this.policy = policy;
        this.current = new AtomicReference<>(new Versioned(1, policy.check(source.current(), "router config")));
        source.onChange(this::changedOutside);
    }

    RouterConfig config() {
        return current.get().config();
    }

    Versioned versioned() {
        return current.get();
    }

    /**
     * Persists through the source first, so a change the router answered "ok" to survives a restart. A change that
     * would undo the guard's cut is refused ({@link TripHold}); checked here, under the lock the trip takes too, since
     * the caller merged its change onto a config that may predate the trip.
     *
     * @throws GuardTrippedException when the change would give the cut slot traffic again
     */
    synchronized Versioned replace(RouterConfig config, String origin) {
        policy.check(config, origin);
        RouterConfig admitted = TripHold.admit(config(), config);
        source.store(admitted);
        return apply(admitted);
    }

    /**
     * The guard's cut, in force at once, in memory; {@link #persist} then stores it, so that a router started again
     * (the supervisor's data-plane guard, a human) comes back with green at 0 % and the trip on record. The two are
     * apart because the cut is made on the thread that reads the bots' answers, which must not wait for a store (the
     * config file, written and renamed on a disk that may be slow); it waits only for a change being stored at that
     * moment, whose lock it takes. Does nothing when the guard of {@code rollout} is no longer armed (disarmed, replaced, or
     * already cut while the request that crossed was answered).
     *
     * @return the config cut to, to persist; null when this call cut nothing
     */
    synchronized RouterConfig trip(String rollout, dev.botshift.traffic.GuardTrip why) {
        RouterConfig now = config();
        if (now.armedGuard() == null || !now.armedGuard().rollout().equals(rollout)) {
            return null;
        }
        RouterConfig cut = now.tripped(why);
        apply(cut);
        return cut;
    }

    /**
     * Stores {@code cut} unless a later change has replaced it (that change was stored with the trip kept on record,
     * {@link TripHold}; storing the older cut now would undo it).
     */
    synchronized void persist(RouterConfig cut) {
        if (!config().equals(cut)) {
            return;
        }
        try {
            source.store(cut);
        } catch (RuntimeException e) {
            // the cut holds in this process either way; only a restart before the next good write would lose it
            LOG.error("the guard's cut is in force but was not persisted: {}", e.getMessage());
        }
    }

    private void changedOutside(RouterConfig config) {
        try {
            apply(policy.check(config, "router config"));
        } catch (InvalidInputException e) {
            LOG.error("router config not applied, keeping the last good config: {}", e.getMessage());
        }
    }

    private synchronized Versioned apply(RouterConfig config) {
        return current.updateAndGet(old -> old.config().equals(config) ? old : new Versioned(old.generation() + 1, config));
    }
}
