package dev.botshift.plan;

/** Where a rollout waits for a human ({@code botshift promote}). */
public enum Approval {
    /** never waits */
    NONE,
    /** waits once, after the bake, before blue is drained and the contract runs */
    BEFORE_CONTRACT,
    /** waits before every traffic step and before the contract */
    EVERY_STEP;

    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
