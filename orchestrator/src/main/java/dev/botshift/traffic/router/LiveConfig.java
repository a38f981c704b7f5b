package dev.botshift.traffic.router;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The config in force, swapped atomically. Every request reads it once and routes by that value to its end, so a
 * change never drops or splits an in-flight request. The generation counts changes since start, whether they came
 * through the admin API or from the source.
 */
final class LiveConfig {

    record Versioned(long generation, RouterConfig config) { }

    private final RouterConfigSource source;
    private final AtomicReference<Versioned> current;

    LiveConfig(RouterConfigSource source) {
        this.source = source;
        this.current = new AtomicReference<>(new Versioned(1, source.current()));
        source.onChange(this::apply);
    }

    RouterConfig config() {
        return current.get().config();
    }

    Versioned versioned() {
        return current.get();
    }

    /** Persists through the source first, so a change the router answered "ok" to survives a restart. */
    synchronized Versioned replace(RouterConfig config) {
        source.store(config);
        return apply(config);
    }

    private synchronized Versioned apply(RouterConfig config) {
        return current.updateAndGet(old -> old.config().equals(config) ? old : new Versioned(old.generation() + 1, config));
    }
}
