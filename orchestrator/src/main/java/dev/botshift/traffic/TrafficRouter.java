package dev.botshift.traffic;

import dev.botshift.core.Weights;

/** The traffic seam: set and check the blue/green split. */
public interface TrafficRouter {

    /** Sets the split; idempotent. In-flight requests are not dropped. */
    void setWeights(Weights weights);

    /**
     * Sets the split and the router's own guard on green ({@code null}: none, a tripped one stays on record). Only the
     * Botshift router can run a guard; the others set the split alone and the orchestrator's judge is green's only
     * watcher.
     */
    default void setWeights(Weights weights, GreenGuard guard) {
        setWeights(weights);
    }

    /** Whether the split in force is {@code expected}; some routers cannot know. */
    WeightCheck verify(Weights expected);
}
