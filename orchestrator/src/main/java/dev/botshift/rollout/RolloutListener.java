package dev.botshift.rollout;

/** Subscribers of the audit trail: the terminal display, notifications, Kubernetes Events. */
public interface RolloutListener {
    /** A new event entered the history. */
    void onEvent(RolloutEvent event, RolloutState state);

    /** The state after each decision, for live views. */
    default void onTick(RolloutState state, Snapshot snapshot) {
    }
}
