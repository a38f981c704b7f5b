package dev.botshift.notify;

import dev.botshift.analysis.Verdict;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutState;
import java.util.List;
import java.util.Optional;

/**
 * Which audit-trail events a team wants in its chat, and the one line each becomes: start, each traffic step, a gate,
 * a rollback (with the verdict behind it), a promotion, the contract, a driver that cannot drive, and the end. Pure,
 * so the choice is testable.
 */
public final class Notifications {
    private Notifications() {
    }

    /** The message for {@code event}, or empty when the event is not worth a chat message. */
    public static Optional<String> messageFor(RolloutEvent event, RolloutState state) {
        String app = state.app() + " " + state.release();
        if (event instanceof RolloutEvent.PhaseChanged p) {
            return phaseChanged(p, state, app);
        }
        if (event instanceof RolloutEvent.TrafficShifted t) {
            return Optional.of(":arrows_counterclockwise: " + app + ": traffic now " + t.split());
        }
        if (event instanceof RolloutEvent.GateReached g) {
            return Optional.of(":raised_hand: " + app + ": waiting for approval (" + g.gate() + "); run 'botshift promote "
                    + state.app() + "' or 'botshift abort " + state.app() + "'");
        }
        if (event instanceof RolloutEvent.CommandAccepted c && c.command().promotes()) {
            return Optional.of(":white_check_mark: " + app + ": " + c.command().text() + " by " + c.by());
        }
        if (event instanceof RolloutEvent.PostContractFailed f) {
            return Optional.of(":rotating_light: :rotating_light: " + app + ": GREEN FAILED AFTER THE CONTRACT: "
                    + f.reason() + ". Rollback is impossible (blue cannot run on the contracted schema): forward-fix, "
                    + "see docs/runbook.md");
        }
        if (event instanceof RolloutEvent.ContractRehearsed r
                && r.result() instanceof dev.botshift.schema.RehearsalResult.Refused) {
            return Optional.of(":no_entry: " + app + ": " + r.describe() + "; the contract did not run, blue still runs:"
                    + " 'botshift abort " + state.app() + "' brings it back");
        }
        if (event instanceof RolloutEvent.RolledBack r && state.refusedByExpandRehearsal()) {
            return Optional.of(":no_entry: " + app + ": ended: REFUSED before the expand (" + r.reason()
                    + "); nothing was changed");
        }
        if (event instanceof RolloutEvent.DriverBlocked b) {
            return Optional.of(":warning: " + app + ": " + b.describe());
        }
        if (event instanceof RolloutEvent.DriverUnblocked u) {
            return Optional.of(":arrow_forward: " + app + ": " + u.describe());
        }
        if (event instanceof RolloutEvent.RolledBack r) {
            return Optional.of(":leftwards_arrow_with_hook: " + app + ": ended: ROLLED BACK (" + r.reason()
                    + "); blue serves all traffic, the expanded schema stays");
        }
        return Optional.empty();
    }

    private static Optional<String> phaseChanged(RolloutEvent.PhaseChanged p, RolloutState state, String app) {
        Phase to = p.to();
        if (p.from() instanceof Phase.Pending) {
            // Started is stored before the loop runs, so the first transition is when a listener can announce it
            return Optional.of(":rocket: " + app + ": " + started(state.history()));
        }
        if (to instanceof Phase.RollingBack) {
            return Optional.of(":rotating_light: " + app + ": rolling back: " + p.reason()
                    + lastFailedVerdict(state, p.reason()));
        }
        if (to instanceof Phase.Contracting) {
            return Optional.of(state.firstRelease()
                    ? ":hammer_and_wrench: " + app + ": the contract changesets run now"
                    : ":warning: " + app + ": POINT OF NO RETURN: blue is gone, the contract changesets run now");
        }
        if (to instanceof Phase.Succeeded) {
            return Optional.of(":tada: " + app + ": ended: SUCCEEDED, " + state.release() + " is the stable version");
        }
        if (to instanceof Phase.Paused) {
            return Optional.of(":double_vertical_bar: " + app + ": paused: " + p.reason());
        }
        if (to instanceof Phase.Failed) {
            return Optional.of(":x: " + app + ": FAILED: " + p.reason() + " (see docs/runbook.md)");
        }
        return Optional.empty();
    }

    private static String started(List<RolloutEvent> history) {
        for (RolloutEvent e : history) {
            if (e instanceof RolloutEvent.Started s) {
                return s.describe();
            }
        }
        return "rollout started";
    }

    /** The verdict that tipped the judge, when the reason does not already quote it. */
    private static String lastFailedVerdict(RolloutState state, String reason) {
        List<RolloutEvent> recent = state.recentVerdicts();
        for (int i = recent.size() - 1; i >= 0; i--) {
            if (recent.get(i) instanceof RolloutEvent.AnalysisResult a && a.verdict() == Verdict.Kind.FAIL) {
                return reason != null && reason.contains(a.reason()) ? "" : " (last failed verdict: " + a.reason() + ")";
            }
        }
        return "";
    }
}
