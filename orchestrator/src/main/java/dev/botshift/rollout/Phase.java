package dev.botshift.rollout;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * Where a rollout is. Blue is the version serving before the rollout, green the new one, whichever slot each runs in.
 *
 * <pre>
 * PENDING → EXPANDING → DEPLOYING_GREEN → SHIFTING(step) … → BAKING → [AWAITING_APPROVAL] → DRAINING_BLUE
 *         → CONTRACTING → [WATCHING_AFTER_CONTRACT] → TEARING_DOWN → SUCCEEDED
 * PENDING … BAKING, PAUSED, the gates before draining ──(failed analysis | green never ready | abort)──► ROLLING_BACK
 *         → ROLLED_BACK; from DRAINING_BLUE on the rollout only goes forward ({@link #rollbackable()})
 * PAUSED: entered by pause or too many inconclusive verdicts, left by resume or promote
 * FAILED: an effect needs a human (expand or contract failed, the router unreachable, the contract rehearsal refused
 *         the contract, green failed after the contract); resume retries it
 * </pre>
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "name")
@JsonSubTypes({
        @JsonSubTypes.Type(Phase.Pending.class),
        @JsonSubTypes.Type(Phase.Expanding.class),
        @JsonSubTypes.Type(Phase.DeployingGreen.class),
        @JsonSubTypes.Type(Phase.Shifting.class),
        @JsonSubTypes.Type(Phase.Baking.class),
        @JsonSubTypes.Type(Phase.AwaitingApproval.class),
        @JsonSubTypes.Type(Phase.Paused.class),
        @JsonSubTypes.Type(Phase.DrainingBlue.class),
        @JsonSubTypes.Type(Phase.Contracting.class),
        @JsonSubTypes.Type(Phase.WatchingAfterContract.class),
        @JsonSubTypes.Type(Phase.TearingDown.class),
        @JsonSubTypes.Type(Phase.Succeeded.class),
        @JsonSubTypes.Type(Phase.RollingBack.class),
        @JsonSubTypes.Type(Phase.RolledBack.class),
        @JsonSubTypes.Type(Phase.Failed.class)
})
public sealed interface Phase {

    /** The upper-case name used in status output, state documents and docs: each record's {@code @JsonTypeName}. */
    default String code() {
        return getClass().getAnnotation(JsonTypeName.class).value();
    }

    /** Ended: nothing more will happen without a new deploy. */
    default boolean terminal() {
        return this instanceof Succeeded || this instanceof RolledBack;
    }

    /** From contract on there is no way back to the old version. */
    default boolean pastPointOfNoReturn() {
        return this instanceof Contracting || this instanceof WatchingAfterContract || this instanceof TearingDown
                || this instanceof Succeeded
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

    @JsonTypeName("PENDING") record Pending() implements Phase { }

    @JsonTypeName("EXPANDING") record Expanding() implements Phase { }

    @JsonTypeName("DEPLOYING_GREEN") record DeployingGreen() implements Phase { }

    /** @param step index into the plan's steps */
    @JsonTypeName("SHIFTING") record Shifting(int step) implements Phase { }

    @JsonTypeName("BAKING") record Baking() implements Phase { }

    /** Waits for {@code botshift promote}; then goes to {@code next}. */
    @JsonTypeName("AWAITING_APPROVAL") record AwaitingApproval(String gate, Phase next) implements Phase { }

    /** Holds weights and waits for {@code resume} or {@code promote}; then back to {@code resumeTo}. */
    @JsonTypeName("PAUSED") record Paused(Phase resumeTo, String reason) implements Phase { }

    @JsonTypeName("DRAINING_BLUE") record DrainingBlue() implements Phase { }

    @JsonTypeName("CONTRACTING") record Contracting() implements Phase { }

    /**
     * After the contract, green is still judged for the plan's {@code analysis.postContract} window: a failure here
     * cannot roll back (the old version cannot run on the contracted schema) and ends in FAILED, never SUCCEEDED.
     */
    @JsonTypeName("WATCHING_AFTER_CONTRACT") record WatchingAfterContract() implements Phase { }

    @JsonTypeName("TEARING_DOWN") record TearingDown() implements Phase { }

    @JsonTypeName("SUCCEEDED") record Succeeded() implements Phase { }

    @JsonTypeName("ROLLING_BACK") record RollingBack(String reason) implements Phase { }

    @JsonTypeName("ROLLED_BACK") record RolledBack(String reason) implements Phase { }

    /** A step failed in a way that needs a human; {@code botshift resume} tries {@code resumeTo} again. */
    @JsonTypeName("FAILED") record Failed(String reason, Phase resumeTo) implements Phase { }
}
