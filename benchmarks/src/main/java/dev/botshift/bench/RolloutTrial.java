package dev.botshift.bench;

import dev.botshift.bench.RolloutRig.Release;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.RolloutEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** One deploy's outcome, read back from the events the rollout recorded (the same history `botshift status` shows). */
record RolloutTrial(Release release, Instant start, Instant end, Outcome outcome) {

    boolean succeeded() {
        return outcome instanceof Outcome.Succeeded;
    }

    boolean rolledBack() {
        return outcome instanceof Outcome.RolledBack;
    }

    /** When the router first gave the new colour any traffic. */
    Optional<Instant> firstCandidateTraffic() {
        for (RolloutEvent e : outcome.state().history()) {
            if (e instanceof RolloutEvent.TrafficShifted t && t.split().green() > 0) {
                return Optional.of(t.at());
            }
        }
        return Optional.empty();
    }

    /** When the router, after giving the new colour traffic, gave it none again. */
    Optional<Instant> candidateBackToZero() {
        boolean had = false;
        for (RolloutEvent e : outcome.state().history()) {
            if (e instanceof RolloutEvent.TrafficShifted t) {
                int w = t.split().green();
                if (w > 0) {
                    had = true;
                } else if (had) {
                    return Optional.of(t.at());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * How long the cut took after the judge's failing verdict (that verdict's tick to the router giving green 0 %):
     * the runner's own plumbing. Empty when the router's guard cut green, or nothing was cut.
     */
    Optional<Duration> verdictToCut() {
        Instant verdict = null;
        for (RolloutEvent e : outcome.state().history()) {
            if (e instanceof RolloutEvent.GuardTripped) {
                return Optional.empty();
            }
            if (e instanceof RolloutEvent.AnalysisResult a && a.verdict() == dev.botshift.analysis.Verdict.Kind.FAIL) {
                verdict = a.at();
            }
        }
        Instant from = verdict;
        return from == null ? Optional.empty() : candidateBackToZero().map(cut -> Duration.between(from, cut));
    }

    /** The candidate's weight at an instant (0 before its first shift). */
    int candidateWeightAt(Instant at) {
        int w = 0;
        for (RolloutEvent e : outcome.state().history()) {
            if (e instanceof RolloutEvent.TrafficShifted t && !t.at().isAfter(at)) {
                w = t.split().green();
            }
        }
        return w;
    }

    Duration wall() {
        return Duration.between(start, end);
    }

    String describe() {
        return outcome instanceof Outcome.RolledBack r ? "ROLLED_BACK (" + r.reason() + ")"
                : outcome instanceof Outcome.Succeeded ? "SUCCEEDED" : outcome.state().phase().code();
    }
}
