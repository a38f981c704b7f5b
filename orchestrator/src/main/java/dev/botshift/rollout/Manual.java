package dev.botshift.rollout;

import dev.botshift.rollout.Phase.AwaitingApproval;
import dev.botshift.rollout.Phase.Baking;
import dev.botshift.rollout.Phase.DeployingGreen;
import dev.botshift.rollout.Phase.Failed;
import dev.botshift.rollout.Phase.Paused;
import dev.botshift.rollout.Phase.RollingBack;
import dev.botshift.rollout.Phase.Shifting;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** How the decider answers the manual commands: promote, pause, resume, abort. Pure, like the decider. */
final class Manual {
    private final Decider decider;

    Manual(Decider decider) {
        this.decider = decider;
    }

    Decision handle(RolloutState s, Request r, Instant now) {
        List<Request> rest = new ArrayList<>(s.requests());
        rest.remove(r);
        RolloutState n = s.withRequests(rest);
        Phase phase = n.phase();
        if (!r.meantFor(n)) {
            return refused(n, r, now, "it was meant for " + r.target() + "; the open rollout is release " + n.release()
                    + " attempt " + n.attempt());
        }
        return switch (r.kind()) {
            case ABORT -> abort(n, r, now);
            case PAUSE -> {
                boolean waiting = phase instanceof DeployingGreen || phase instanceof Shifting || phase instanceof Baking
                        || phase instanceof AwaitingApproval;
                yield waiting
                        ? accepted(Decider.go(n, new Paused(phase, "paused by " + r.by()), now, "paused by " + r.by()), r, now)
                        : refused(n, r, now, "only a waiting rollout can be paused (it is " + phase.code() + ")");
            }
            case RESUME -> {
                if (phase instanceof Paused p) {
                    yield accepted(decider.enter(n, p.resumeTo(), now, "resumed by " + r.by()), r, now);
                }
                if (phase instanceof Failed f) {
                    // a retry judges afresh: the evidence that failed it (the sequential sum, failures in a row and in
                    // all) would fail the fixed green again at once, and the runbook's forward fix is exactly this
                    RolloutState retried = n.withAnalysis(AnalysisProgress.fresh());
                    yield accepted(decider.enter(retried, f.resumeTo(), now, "retrying after: " + f.reason()), r, now);
                }
                yield new Decision(n, List.of(), true); // resuming a running rollout just re-attaches: nothing to record
            }
            case PROMOTE -> promote(n, r, now, false);
            case PROMOTE_FULL -> promote(n, r, now, true);
        };
    }

    private Decision abort(RolloutState n, Request r, Instant now) {
        Phase phase = n.phase();
        if (phase.terminal()) {
            return refused(n, r, now, "the rollout has already ended (" + phase.code() + ")");
        }
        if (phase.pastPointOfNoReturn()) {
            return refused(n, r, now, "the contract has started: the old version cannot run on the contracted schema, "
                    + "so the rollout can only go forward (botshift resume)");
        }
        if (!phase.rollbackable()) {
            return refused(n, r, now, "blue is being drained; the rollout can only go forward now");
        }
        return accepted(Decider.go(n, new RollingBack("aborted by " + r.by()), now, "aborted by " + r.by()), r, now);
    }

    private Decision promote(RolloutState n, Request r, Instant now, boolean full) {
        Phase phase = n.phase();
        Phase target = phase instanceof Paused p ? p.resumeTo() : phase;
        if (target instanceof AwaitingApproval a) {
            target = a.next();
            if (!full || !(target instanceof Shifting)) {
                return accepted(decider.enter(n, target, now, "promoted by " + r.by()), r, now);
            }
        }
        if (target instanceof Shifting) {
            if (full) {
                return accepted(decider.enter(n, new Baking(), now, "promoted fully by " + r.by() + "; baking"), r, now);
            }
            RolloutState at = n.withPhase(target, now, "promoted by " + r.by());
            return accepted(decider.advance(at, now, "promoted by " + r.by()), r, now);
        }
        if (phase instanceof Paused p) {
            return accepted(decider.enter(n, p.resumeTo(), now, "resumed by " + r.by()), r, now);
        }
        if (target instanceof Baking) {
            return refused(n, r, now, "green is baking: the bake is a safety condition of the contract and cannot be skipped");
        }
        return refused(n, r, now, "nothing to promote while " + phase.code());
    }

    private static Decision accepted(Decision d, Request r, Instant now) {
        return new Decision(d.next().record(new RolloutEvent.CommandAccepted(now, r.kind(), r.by(), r.id())), d.effects(), true);
    }

    private static Decision refused(RolloutState n, Request r, Instant now, String why) {
        return new Decision(n.record(new RolloutEvent.CommandRefused(now, r.kind(), r.by(), why, r.id())), List.of(), true);
    }

}
