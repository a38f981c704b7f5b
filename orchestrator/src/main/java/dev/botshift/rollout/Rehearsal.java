package dev.botshift.rollout;

import dev.botshift.rollout.Effect.RehearseContract;
import dev.botshift.rollout.Phase.Baking;
import dev.botshift.rollout.Phase.Failed;
import dev.botshift.schema.RehearsalResult;
import java.time.Instant;
import java.util.List;

/**
 * The decider's part of the rehearsals (see docs/schema-engine.md): pure, like the decider. Kept apart so the decider
 * only asks it where the contract can come next, and at EXPANDING before any expand changeset runs.
 */
final class Rehearsal {
    private Rehearsal() {
    }

    /**
     * The contract rehearsal, once per phase and before anything of blue is stopped: asks for it, or holds when it
     * refused the contract; null when it passed (or was skipped, with its reason in the history) and the phase goes on.
     */
    static Decision decided(RolloutState s, Instant now) {
        RolloutEvent.ContractRehearsed done = inThisPhase(s, RolloutEvent.ContractRehearsed.class);
        if (done == null) {
            return new Decision(s, List.of(new RehearseContract()), true);
        }
        return done.result() instanceof RehearsalResult.Refused ? hold(s, now, done.result().describe()) : null;
    }

    /**
     * The expand rehearsal, once each time EXPANDING is entered (a resume after a failed expand rehearses what is
     * still pending) and before any expand changeset runs: asks for it, or ends the rollout when it refused the
     * expand; null when it passed (or was skipped, with its reason in the history) and the expand goes on. A crash
     * after its result was stored does not run it again; a crash before does (it changes nothing).
     */
    static Decision expandDecided(RolloutState s, Instant now) {
        RolloutEvent.ExpandRehearsed done = inThisPhase(s, RolloutEvent.ExpandRehearsed.class);
        if (done == null) {
            return new Decision(s, List.of(new Effect.RehearseExpand()), true);
        }
        if (!(done.result() instanceof RehearsalResult.Refused)) {
            return null;
        }
        // Nothing ran and nothing started: the rollout ends with blue the stable version, as a refused changeset
        // would have (docs/rollout.md); a fixed release is deployed again as a fresh attempt.
        String reason = done.describe() + "; no expand changeset ran, blue keeps serving: fix the release and deploy "
                + "it again";
        RolloutState n = s.withPhase(new Phase.RolledBack(reason), now, reason)
                .record(new RolloutEvent.RolledBack(now, reason));
        return new Decision(n, List.of(), true);
    }

    /** The latest event of {@code type} since the phase was last entered, or null. */
    private static <T extends RolloutEvent> T inThisPhase(RolloutState s, Class<T> type) {
        for (int i = s.history().size() - 1; i >= 0; i--) {
            RolloutEvent e = s.history().get(i);
            if (e instanceof RolloutEvent.PhaseChanged) {
                return null;
            }
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
        return null;
    }

    /**
     * Holds before the point of no return: FAILED, resuming to the bake. Blue still runs and green keeps serving
     * (and being judged), so {@code abort} still brings blue back.
     */
    static Decision hold(RolloutState s, Instant now, String why) {
        String reason = why + " (green keeps serving on the expanded schema; blue still runs: botshift abort brings it "
                + "back, botshift resume rehearses again after a bake)";
        return Decider.go(s, new Failed(reason, new Baking()), now, reason);
    }
}
