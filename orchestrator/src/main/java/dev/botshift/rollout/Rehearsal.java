package dev.botshift.rollout;

import dev.botshift.rollout.Effect.RehearseContract;
import dev.botshift.rollout.Phase.Baking;
import dev.botshift.rollout.Phase.Failed;
import dev.botshift.schema.RehearsalResult;
import java.time.Instant;
import java.util.List;

/**
 * The decider's part of the contract rehearsal (see docs/schema-engine.md): pure, like the decider. Kept apart so
 * the decider only asks it at the two places the contract can come next.
 */
final class Rehearsal {
    private Rehearsal() {
    }

    /**
     * The contract rehearsal, once per phase and before anything of blue is stopped: asks for it, or holds when it
     * refused the contract; null when it passed (or was skipped, with its reason in the history) and the phase goes on.
     */
    static Decision decided(RolloutState s, Instant now) {
        RolloutEvent.ContractRehearsed done = null;
        for (int i = s.history().size() - 1; i >= 0 && done == null; i--) {
            RolloutEvent e = s.history().get(i);
            if (e instanceof RolloutEvent.PhaseChanged) {
                break;
            }
            done = e instanceof RolloutEvent.ContractRehearsed r ? r : null;
        }
        if (done == null) {
            return new Decision(s, List.of(new RehearseContract()), true);
        }
        return done.result() instanceof RehearsalResult.Refused ? hold(s, now, done.result().describe()) : null;
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
