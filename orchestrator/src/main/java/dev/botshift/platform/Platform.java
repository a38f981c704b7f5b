package dev.botshift.platform;

import dev.botshift.rollout.Ports;
import dev.botshift.rollout.RolloutListener;
import dev.botshift.state.StateStore;
import java.util.List;

/**
 * The adapters one plan runs on, for one run: at most one Kubernetes client, opened here and closed with it. Closing
 * never stops the workloads or the router.
 */
public interface Platform extends AutoCloseable {
    /** Where the plan's rollouts live; opening it has no side effect. */
    StateStore store();

    /** The ports, assembled on the first call (the local platform starts or re-attaches the router then). */
    Ports ports();

    /** Platform-specific subscribers of the audit trail (e.g. Kubernetes Events). */
    List<RolloutListener> listeners();

    @Override
    void close();
}
