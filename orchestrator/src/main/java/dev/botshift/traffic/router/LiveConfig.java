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

    /** Persists through the source first, so a change the router answered "ok" to survives a restart. */
    synchronized Versioned replace(RouterConfig config, String origin) {
        policy.check(config, origin);
        source.store(config);
        return apply(config);
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
