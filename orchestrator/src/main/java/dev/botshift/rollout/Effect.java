package dev.botshift.rollout;

import dev.botshift.core.Slot;
import dev.botshift.core.Split;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.traffic.GreenGuard;

/**
 * What the decider asks the runner to do. Every effect is idempotent: after a crash the runner may run it again.
 */
public sealed interface Effect {
    String describe();

    record ApplySchema(SchemaPhase phase) implements Effect {
        public String describe() {
            return phase.label();
        }
    }

    /**
     * Before the point of no return: the contract applied in a transaction that is rolled back, every statement
     * green ran prepared against it. Changes nothing; its result is reported as {@link RolloutEvent.ContractRehearsed}.
     */
    record RehearseContract() implements Effect {
        public String describe() {
            return "contract rehearsal";
        }
    }

    /**
     * Before the expand: the expand applied in a transaction that is rolled back, every statement on record for the
     * database (blue's) prepared against it. Changes nothing; reported as {@link RolloutEvent.ExpandRehearsed}.
     */
    record RehearseExpand() implements Effect {
        public String describe() {
            return "expand rehearsal";
        }
    }

    /** Runs {@code version} in the slot {@code colour}; described by version, since slots are not roles. */
    record StartSlot(Slot slot, String version, int replicas) implements Effect {
        public String describe() {
            return "start " + version + " x" + replicas;
        }
    }

    /** Drains and stops what runs in the slot {@code colour}: {@code version}. */
    record StopSlot(Slot slot, String version) implements Effect {
        public String describe() {
            return "stop " + version;
        }
    }

    /**
     * Gives the router this split (the runner turns it into the slots' weights) and arms its guard on green with
     * {@code guard}, or disarms it ({@code null}: a trip stays on record).
     */
    record SetSplit(Split split, GreenGuard guard) implements Effect {
        public String describe() {
            return "set traffic " + split;
        }
    }
}
