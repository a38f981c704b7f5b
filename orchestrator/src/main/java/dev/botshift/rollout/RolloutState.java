package dev.botshift.rollout;

import dev.botshift.core.Colour;
import dev.botshift.core.Weights;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one persisted status record of an app's rollout, written only through the {@code StateStore}. It holds no
 * secret: the plan's credentials are read from the environment again on resume.
 *
 * @param app            the app (plan {@code name})
 * @param release        the release being rolled out
 * @param runId          identity of this attempt (logs, events)
 * @param attempt        1 for the first try of a release, +1 for each new deploy after a rollback
 * @param planFile       absolute path of the plan file, so {@code resume} can find it
 * @param candidate      the colour slot the release runs in ("green" in the docs)
 * @param stableVersion  the version serving before this rollout ("blue"), null on an app's first release
 * @param phase          where the rollout is
 * @param phaseSince     when it entered that phase
 * @param weights        the split last set
 * @param analysis       the judge's bookkeeping
 * @param requests       manual commands not yet picked up
 * @param recentVerdicts the last few verdicts, newest last
 * @param history        the audit trail
 */
public record RolloutState(
        String app,
        String release,
        String runId,
        int attempt,
        String planFile,
        Colour candidate,
        String stableVersion,
        Phase phase,
        Instant phaseSince,
        Instant startedAt,
        Weights weights,
        AnalysisProgress analysis,
        List<Request> requests,
        List<RolloutEvent> recentVerdicts,
        List<RolloutEvent> history) {

    static final int RECENT_VERDICTS = 10;

    public RolloutState {
        requests = List.copyOf(requests);
        recentVerdicts = List.copyOf(recentVerdicts);
        history = List.copyOf(history);
    }

    /** A new rollout of {@code release}: green goes into the slot blue does not occupy. */
    public static RolloutState begin(String app, String release, String runId, int attempt, String planFile,
                                     Colour stableColour, String stableVersion, Instant now) {
        Colour candidate = stableColour == null ? Colour.BLUE : stableColour.other();
        Weights weights = stableColour == null ? Weights.allTo(candidate.other()) : Weights.allTo(stableColour);
        RolloutState s = new RolloutState(app, release, runId, attempt, planFile, candidate, stableVersion,
                new Phase.Pending(), now, now, weights, AnalysisProgress.fresh(), List.of(), List.of(), List.of());
        return s.record(new RolloutEvent.Started(now, release, attempt, candidate.label(), stableVersion));
    }

    /** The colour serving before this rollout; null on the first release. */
    public Colour stable() {
        return stableVersion == null ? null : candidate.other();
    }

    public boolean firstRelease() {
        return stableVersion == null;
    }

    public RolloutState withPhase(Phase next, Instant now, String reason) {
        RolloutState s = new RolloutState(app, release, runId, attempt, planFile, candidate, stableVersion, next, now,
                startedAt, weights, analysis, requests, recentVerdicts, history);
        return s.record(new RolloutEvent.PhaseChanged(now, phase.code(), next.code(), reason));
    }

    public RolloutState withWeights(Weights w, Instant now) {
        if (w.equals(weights)) {
            return this;
        }
        RolloutState s = new RolloutState(app, release, runId, attempt, planFile, candidate, stableVersion, phase,
                phaseSince, startedAt, w, analysis, requests, recentVerdicts, history);
        return s.record(new RolloutEvent.TrafficShifted(now, w));
    }

    public RolloutState withAnalysis(AnalysisProgress a) {
        return new RolloutState(app, release, runId, attempt, planFile, candidate, stableVersion, phase, phaseSince,
                startedAt, weights, a, requests, recentVerdicts, history);
    }

    public RolloutState withRequests(List<Request> r) {
        return new RolloutState(app, release, runId, attempt, planFile, candidate, stableVersion, phase, phaseSince,
                startedAt, weights, analysis, r, recentVerdicts, history);
    }

    /** Keeps a verdict among the recent ones; only verdicts that matter go into the history (see the decider). */
    public RolloutState withVerdict(RolloutEvent.AnalysisResult verdict, boolean alsoHistory) {
        List<RolloutEvent> recent = new ArrayList<>(recentVerdicts);
        recent.add(verdict);
        while (recent.size() > RECENT_VERDICTS) {
            recent.remove(0);
        }
        RolloutState s = new RolloutState(app, release, runId, attempt, planFile, candidate, stableVersion, phase,
                phaseSince, startedAt, weights, analysis, requests, recent, history);
        return alsoHistory ? s.record(verdict) : s;
    }

    public RolloutState record(RolloutEvent event) {
        List<RolloutEvent> h = new ArrayList<>(history);
        h.add(event);
        return new RolloutState(app, release, runId, attempt, planFile, candidate, stableVersion, phase, phaseSince,
                startedAt, weights, analysis, requests, recentVerdicts, h);
    }
}
