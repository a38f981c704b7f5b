package dev.botshift.rollout;

import java.util.List;

/**
 * The decider's answer: run {@code effects} in order; once all succeeded, {@code next} is the new state.
 *
 * @param immediate decide again at once instead of waiting an analysis interval: this decision changed what the next
 *                  one depends on (a phase, a manual command, a colour stopped)
 */
public record Decision(RolloutState next, List<Effect> effects, boolean immediate) {
    public Decision {
        effects = List.copyOf(effects);
    }

    static Decision stay(RolloutState s) {
        return new Decision(s, List.of(), false);
    }
}
