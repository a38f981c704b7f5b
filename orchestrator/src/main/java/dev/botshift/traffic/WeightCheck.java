package dev.botshift.traffic;

import dev.botshift.core.Weights;

/** Answer of {@link TrafficRouter#verify}. */
public sealed interface WeightCheck {
    record Matches() implements WeightCheck { }

    record Differs(Weights actual) implements WeightCheck { }

    record Unknown(String why) implements WeightCheck { }

    /**
     * The router's own guard cut green ({@link GreenGuard}): the split in force is {@code actual}, set by the router,
     * not by anyone to be corrected.
     *
     * @param rollout the rollout whose guard tripped (a trip of an earlier rollout stays on record until the next guard)
     */
    record Tripped(Weights actual, String rollout, GuardTrip trip) implements WeightCheck { }
}
