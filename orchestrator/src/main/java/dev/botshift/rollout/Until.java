package dev.botshift.rollout;

/** How far {@link RolloutRunner#run} drives a rollout before it returns. */
public enum Until {
    /** Until it ends, stops for a human (FAILED), or waits at a gate or in a pause: {@code --detach}. */
    GATE,
    /** Until it ends or stops for a human (FAILED); it waits at gates and in pauses. */
    FAILURE,
    /**
     * Until it ends (SUCCEEDED or ROLLED_BACK): a supervisor's run. It also waits in FAILED for resume or abort,
     * judging green wherever it has traffic.
     */
    END
}
