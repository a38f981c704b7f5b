package dev.botshift.traffic;

import dev.botshift.core.Weights;

/** Answer of {@link TrafficRouter#verify}. */
public sealed interface WeightCheck {
    record Matches() implements WeightCheck { }

    record Differs(Weights actual) implements WeightCheck { }

    record Unknown(String why) implements WeightCheck { }
}
