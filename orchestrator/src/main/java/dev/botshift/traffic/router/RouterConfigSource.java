package dev.botshift.traffic.router;

import java.util.function.Consumer;

/**
 * Where the router's config lives: a local file for the embedded default, a ConfigMap in a cluster. The router
 * reads the current value, listens for changes made by others, and stores the changes made through its admin API
 * so that a restarted router comes back with the same split.
 */
public interface RouterConfigSource extends AutoCloseable {

    RouterConfig current();

    /** Persists {@code config}; once this returns, {@link #current()} answers it and a restart keeps it. */
    void store(RouterConfig config);

    /** Calls {@code listener} with every config changed from outside (not with those passed to {@link #store}). */
    void onChange(Consumer<RouterConfig> listener);

    @Override
    void close();
}
