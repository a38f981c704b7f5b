package dev.botshift.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a rollout waits for a human ({@code botshift promote}). */
public enum Approval {
    /** never waits */
    @JsonProperty("none") NONE,
    /** waits once, after the bake, before blue is drained and the contract runs */
    @JsonProperty("before-contract") BEFORE_CONTRACT,
    /** waits before every traffic step and before the contract */
    @JsonProperty("every-step") EVERY_STEP;

    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
