package dev.botshift.traffic;

import dev.botshift.core.Weights;

/** The traffic seam: set and check the blue/green split. */
public interface TrafficRouter {

    /** Sets the split; idempotent. In-flight requests are not dropped. */
    void setWeights(Weights weights);

    /** Whether the split in force is {@code expected}; some routers cannot know. */
    WeightCheck verify(Weights expected);
}
