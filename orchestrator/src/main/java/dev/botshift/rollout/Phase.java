package dev.botshift.rollout;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Where a rollout is. "Blue" is the stable colour and "green" the new one, whichever slot they occupy.
 *
 * <pre>
 * PENDING → EXPANDING → DEPLOYING_GREEN → SHIFTING(step) … → BAKING → [AWAITING_APPROVAL] → DRAINING_BLUE
 *         → CONTRACTING → TEARING_DOWN → SUCCEEDED
 * DEPLOYING_GREEN … DRAINING_BLUE ──(failed verdicts | never ready | abort)──► ROLLING_BACK → ROLLED_BACK
 * </pre>
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "name")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Phase.Pending.class, name = "PENDING"),
        @JsonSubTypes.Type(value = Phase.Expanding.class, name = "EXPANDING"),
        @JsonSubTypes.Type(value = Phase.DeployingGreen.class, name = "DEPLOYING_GREEN"),
        @JsonSubTypes.Type(value = Phase.Shifting.class, name = "SHIFTING"),
        @JsonSubTypes.Type(value = Phase.Baking.class, name = "BAKING"),
        @JsonSubTypes.Type(value = Phase.AwaitingApproval.class, name = "AWAITING_APPROVAL"),
        @JsonSubTypes.Type(value = Phase.Paused.class, name = "PAUSED"),
        @JsonSubTypes.Type(value = Phase.DrainingBlue.class, name = "DRAINING_BLUE"),
        @JsonSubTypes.Type(value = Phase.Contracting.class, name = "CONTRACTING"),
        @JsonSubTypes.Type(value = Phase.TearingDown.class, name = "TEARING_DOWN"),
        @JsonSubTypes.Type(value = Phase.Succeeded.class, name = "SUCCEEDED"),
        @JsonSubTypes.Type(value = Phase.RollingBack.class, name = "ROLLING_BACK"),
        @JsonSubTypes.Type(value = Phase.RolledBack.class, name = "ROLLED_BACK"),
        @JsonSubTypes.Type(value = Phase.Failed.class, name = "FAILED")
})
public sealed interface Phase {

    /** The upper-case name used in status output, state documents and docs. */
    default String code() {
        return getClass().getAnnotation(PhaseCode.class).value();
    }

    /** Ended: nothing more will happen without a new deploy. */
    default boolean terminal() {
        return this instanceof Succeeded || this instanceof RolledBack;
    }

    /** From contract on there is no way back to the old version. */
    default boolean pastPointOfNoReturn() {
        return this instanceof Contracting || this instanceof TearingDown || this instanceof Succeeded
                || (this instanceof Failed f && f.resumeTo().pastPointOfNoReturn());
    }

    /**
     * Phases a rollback (automatic or {@code abort}) can start from. Not once blue is being drained: from there
     * the rollout only goes forward.
     */
    default boolean rollbackable() {
        return this instanceof Pending || this instanceof Expanding || this instanceof DeployingGreen
                || this instanceof Shifting || this instanceof Baking || this instanceof Paused
                // the gate before draining: green has all traffic, but blue still runs untouched
                || (this instanceof AwaitingApproval a && (a.next().rollbackable() || a.next() instanceof DrainingBlue))
                || (this instanceof Failed f && f.resumeTo().rollbackable());
    }

    @PhaseCode("PENDING") record Pending() implements Phase { }

    @PhaseCode("EXPANDING") record Expanding() implements Phase { }

    @PhaseCode("DEPLOYING_GREEN") record DeployingGreen() implements Phase { }

    /** @param step index into the plan's steps */
    @PhaseCode("SHIFTING") record Shifting(int step) implements Phase { }

    @PhaseCode("BAKING") record Baking() implements Phase { }

    /** Waits for {@code botshift promote}; then goes to {@code next}. */
    @PhaseCode("AWAITING_APPROVAL") record AwaitingApproval(String gate, Phase next) implements Phase { }

    /** Holds weights and waits for {@code resume} or {@code promote}; then back to {@code resumeTo}. */
    @PhaseCode("PAUSED") record Paused(Phase resumeTo, String reason) implements Phase { }

    @PhaseCode("DRAINING_BLUE") record DrainingBlue() implements Phase { }

    @PhaseCode("CONTRACTING") record Contracting() implements Phase { }

    @PhaseCode("TEARING_DOWN") record TearingDown() implements Phase { }

    @PhaseCode("SUCCEEDED") record Succeeded() implements Phase { }

    @PhaseCode("ROLLING_BACK") record RollingBack(String reason) implements Phase { }

    @PhaseCode("ROLLED_BACK") record RolledBack(String reason) implements Phase { }

    /** A step failed in a way that needs a human; {@code botshift resume} tries {@code resumeTo} again. */
    @PhaseCode("FAILED") record Failed(String reason, Phase resumeTo) implements Phase { }
}
