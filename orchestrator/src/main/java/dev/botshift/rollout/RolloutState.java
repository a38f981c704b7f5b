package dev.botshift.rollout;

import dev.botshift.core.Slot;
import dev.botshift.core.Split;
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
 * @param candidate      the slot the release (green) runs in
 * @param stableVersion  the version serving before this rollout (blue), null on an app's first release
 * @param stablePlanFile the plan file blue was started from, so its instances can be started again after a rollback;
 *                       null on a first release and for states stored before it was kept
 * @param phase          where the rollout is
 * @param phaseSince     when it entered that phase
 * @param split          the split between blue and green last set
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
        Slot candidate,
        String stableVersion,
        String stablePlanFile,
        Phase phase,
        Instant phaseSince,
        Instant startedAt,
        Split split,
        AnalysisProgress analysis,
        List<Request> requests,
        List<RolloutEvent> recentVerdicts,
        List<RolloutEvent> history) {

    static final int RECENT_VERDICTS = 10;

    public RolloutState {
        // what every rollout has from its start: a stored one missing any is refused when read (RolloutStateCodec)
        for (var required : new Object[][] {{app, "app"}, {release, "release"}, {runId, "runId"},
                {candidate, "candidate"}, {phase, "phase"}, {phaseSince, "phaseSince"}, {startedAt, "startedAt"},
                {split, "split"}, {analysis, "analysis"}, {requests, "requests"}, {recentVerdicts, "recentVerdicts"},
                {history, "history"}}) {
            java.util.Objects.requireNonNull(required[0], (String) required[1]);
        }
        requests = List.copyOf(requests);
        recentVerdicts = List.copyOf(recentVerdicts);
        history = List.copyOf(history);
    }

    /**
     * A new rollout of {@code release}: green goes into the slot blue does not occupy. Until green serves, blue has all
     * traffic (on a first release there is no blue: nothing serves yet).
     */
    public static RolloutState begin(String app, String release, String runId, int attempt, String planFile,
                                     Slot stableSlot, String stableVersion, String stablePlanFile, Instant now) {
        Slot candidate = stableSlot == null ? Slot.A : stableSlot.other();
        RolloutState s = new RolloutState(app, release, runId, attempt, planFile, candidate, stableVersion,
                stablePlanFile, new Phase.Pending(), now, now, Split.allToBlue(), AnalysisProgress.fresh(), List.of(),
                List.of(), List.of());
        return s.record(new RolloutEvent.Started(now, release, attempt, stableVersion));
    }

    /** The slot blue (the version serving before this rollout) runs in; null on the first release. */
    public Slot stable() {
        return stableVersion == null ? null : candidate.other();
    }

    public boolean firstRelease() {
        return stableVersion == null;
    }

    /**
     * Ended before any expand changeset ran because the expand rehearsal refused the release: blue untouched. Reported
     * like a refused changeset (exit code 2), not like a rollback.
     */
    public boolean refusedByExpandRehearsal() {
        if (!(phase instanceof Phase.RolledBack)) {
            return false;
        }
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i) instanceof RolloutEvent.ExpandRehearsed r) {
                return r.result() instanceof dev.botshift.schema.RehearsalResult.Refused;
            }
        }
        return false;
    }

    public RolloutState withPhase(Phase next, Instant now, String reason) {
        RolloutState s = new RolloutState(app, release, runId, attempt, planFile, candidate, stableVersion,
                stablePlanFile, next, now, startedAt, split, analysis, requests, recentVerdicts, history);
        return s.record(new RolloutEvent.PhaseChanged(now, phase, next, reason));
    }

    public RolloutState withSplit(Split to, Instant now) {
        if (to.equals(split)) {
            return this;
        }
        RolloutState s = new RolloutState(app, release, runId, attempt, planFile, candidate, stableVersion,
                stablePlanFile, phase, phaseSince, startedAt, to, analysis, requests, recentVerdicts, history);
        return s.record(new RolloutEvent.TrafficShifted(now, to, firstRelease() ? true : null));
    }

    public RolloutState withAnalysis(AnalysisProgress a) {
        return new RolloutState(app, release, runId, attempt, planFile, candidate, stableVersion, stablePlanFile, phase,
                phaseSince, startedAt, split, a, requests, recentVerdicts, history);
    }

    public RolloutState withRequests(List<Request> r) {
        return new RolloutState(app, release, runId, attempt, planFile, candidate, stableVersion, stablePlanFile, phase,
                phaseSince, startedAt, split, analysis, r, recentVerdicts, history);
    }

    /** Keeps a verdict among the recent ones; only verdicts that matter go into the history (see the decider). */
    public RolloutState withVerdict(RolloutEvent.AnalysisResult verdict, boolean alsoHistory) {
        List<RolloutEvent> recent = new ArrayList<>(recentVerdicts);
        recent.add(verdict);
        while (recent.size() > RECENT_VERDICTS) {
            recent.remove(0);
        }
        RolloutState s = new RolloutState(app, release, runId, attempt, planFile, candidate, stableVersion,
                stablePlanFile, phase, phaseSince, startedAt, split, analysis, requests, recent, history);
        return alsoHistory ? s.record(verdict) : s;
    }

    public RolloutState record(RolloutEvent event) {
        return recordAll(List.of(event));
    }

    public RolloutState recordAll(List<RolloutEvent> events) {
        List<RolloutEvent> h = new ArrayList<>(history);
        h.addAll(events);
        return new RolloutState(app, release, runId, attempt, planFile, candidate, stableVersion, stablePlanFile, phase,
                phaseSince, startedAt, split, analysis, requests, recentVerdicts, h);
    }

    /**
     * This state, decided at {@code decidedAt} from a state whose history had {@code base} events, once its effects
     * have run, in the order things happened: the decision's verdicts and commands first (they happened at the
     * decision and keep its time), then what the effects reported, then the rest of what the decision recorded,
     * stamped when it happened: a shift when the router took it ({@code shifted}) and a phase entered with that shift
     * (the next step) then too, everything else once all effects ran ({@code done}).
     */
    RolloutState settled(int base, List<RolloutEvent> reported, Instant decidedAt, Instant shifted, Instant done) {
        List<RolloutEvent> ticked = history.subList(base, history.size());
        List<RolloutEvent> h = new ArrayList<>(history.subList(0, base));
        List<RolloutEvent> after = new ArrayList<>();
        // where the decision shifted traffic (-1: it did not): a phase change before it entered with it (the next step)
        int shift = shifted == null ? -1 : java.util.stream.IntStream.range(0, ticked.size())
                .filter(i -> ticked.get(i) instanceof RolloutEvent.TrafficShifted).findFirst().orElse(-1);
        for (int i = 0; i < ticked.size(); i++) {
            RolloutEvent e = ticked.get(i);
            if (e instanceof RolloutEvent.AnalysisResult || e instanceof RolloutEvent.CommandAccepted
                    || e instanceof RolloutEvent.CommandRefused) {
                h.add(e);
            } else if (!e.at().equals(decidedAt)) {
                after.add(e); // stamped by what it tells (a guard's trip): kept, in the decision's order
            } else {
                boolean atShift = shift >= 0 && (e instanceof RolloutEvent.TrafficShifted
                        || e instanceof RolloutEvent.PhaseChanged && i < shift);
                after.add(e.at(atShift ? shifted : done));
            }
        }
        h.addAll(reported);
        h.addAll(after);
        Instant since = phaseSince.equals(decidedAt) ? done : phaseSince;
        return new RolloutState(app, release, runId, attempt, planFile, candidate, stableVersion, stablePlanFile, phase,
                since, startedAt, split, analysis, requests, recentVerdicts, h);
    }
}
