package dev.botshift.platform;

import dev.botshift.rollout.Ports;
import dev.botshift.rollout.RolloutListener;
import java.util.List;

/** The adapters one plan runs on, assembled; closing it releases clients, never the workloads or the router. */
public interface Platform extends AutoCloseable {
    Ports ports();

    /** Platform-specific subscribers of the audit trail (e.g. Kubernetes Events). */
    List<RolloutListener> listeners();

    @Override
    void close();
}
