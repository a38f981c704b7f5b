package dev.botshift.rollout;

import dev.botshift.analysis.Checks;
import dev.botshift.analysis.Counts;
import dev.botshift.analysis.Judge;
import dev.botshift.analysis.JudgeMemory;
import dev.botshift.traffic.GreenGuard;
import dev.botshift.core.DurationText;
import dev.botshift.analysis.Observation;
import dev.botshift.analysis.Verdict;
import dev.botshift.core.Split;
import dev.botshift.plan.Approval;
import dev.botshift.rollout.Effect.ApplySchema;
import dev.botshift.rollout.Effect.SetSplit;
import dev.botshift.rollout.Effect.StartSlot;
import dev.botshift.rollout.Effect.StopSlot;
import dev.botshift.rollout.Phase.AwaitingApproval;
import dev.botshift.rollout.Phase.Baking;
import dev.botshift.rollout.Phase.Contracting;
import dev.botshift.rollout.Phase.DeployingGreen;
import dev.botshift.rollout.Phase.DrainingBlue;
import dev.botshift.rollout.Phase.Expanding;
import dev.botshift.rollout.Phase.Failed;
import dev.botshift.rollout.Phase.Paused;
import dev.botshift.rollout.Phase.Pending;
import dev.botshift.rollout.Phase.RolledBack;
import dev.botshift.rollout.Phase.RollingBack;
import dev.botshift.rollout.Phase.Shifting;
import dev.botshift.rollout.Phase.Succeeded;
import dev.botshift.rollout.Phase.TearingDown;
import dev.botshift.rollout.Phase.WatchingAfterContract;
import dev.botshift.schema.RehearsalResult;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.traffic.WeightCheck;
import dev.botshift.workload.Readiness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What next, given the state and the latest observation: a pure function of its arguments. No I/O, no clock of
 * its own; the runner carries out the effects it asks for.
 */
public final class Decider {
    /** Effect failures in a row (e.g. the router unreachable) before the rollout stops for a human. */
    static final int EFFECT_RETRIES = 3;
    /** How often green's unchanged progress is told while it comes up (its changes are told at once). */
    public static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

    private final RolloutSettings settings;
    private final Judge judge;
    private final Manual manual;

    public Decider(RolloutSettings settings) {
        this.settings = settings;
        this.judge = new Judge(settings.judge());
        this.manual = new Manual(this);
    }

    public Decision decide(RolloutState s, Snapshot o) {
        if (seen(s, o.split()) instanceof WeightCheck.Tripped t && s.phase().rollbackable()) {
            // before any command: a resume, promote or correction would only ask the router for green's traffic again
            return guardTripped(answered(s, o.now()), t, o.now());
        }
        if (!s.requests().isEmpty()) {
            return manual.handle(s, s.requests().get(0), o.now());
        }
        Instant now = o.now();
        Phase phase = s.phase();
        if (phase instanceof Pending) {
            return go(s, new Expanding(), now, s.firstRelease()
                    ? "expanding the schema (first release: nothing serves yet)"
                    : "expanding the schema while blue keeps serving");
        }
        if (phase instanceof Expanding) {
            RolloutState n = s;
            if (s.firstRelease()) {
                n = s.record(new RolloutEvent.ExpandRehearsed(now, new RehearsalResult.Skipped(
                        "first release: no blue runs statements the expand could break")));
            } else {
                Decision rehearsal = Rehearsal.expandDecided(s, now);
                if (rehearsal != null) {
                    return rehearsal;
                }
            }
            return new Decision(n.withPhase(new DeployingGreen(), now, "schema expanded; starting green"),
                    List.of(new ApplySchema(SchemaPhase.EXPAND),
                            new StartSlot(s.candidate(), s.release(), settings.replicas())), false);
        }
        if (phase instanceof DeployingGreen) {
            return deployingGreen(s, o);
        }
        if (phase instanceof Shifting) {
            return watch(s, o, settings.stepDuration());
        }
        if (phase instanceof Baking) {
            return watch(s, o, settings.bake());
        }
        if (phase instanceof AwaitingApproval || phase instanceof Paused) {
            return judgeOnly(s, o);
        }
        if (phase instanceof DrainingBlue) {
            return drainingBlue(s, o);
        }
        if (phase instanceof Contracting) {
            Decision rehearsal = s.firstRelease() ? Rehearsal.decided(s, now) : null; // otherwise done before draining
            if (rehearsal != null) {
                return rehearsal;
            }
            if (!settings.postContract().isZero()) {
                return new Decision(s.withPhase(new WatchingAfterContract(), now, "contract applied; green is still judged"
                        + " for " + settings.postContract().toSeconds() + "s").withAnalysis(s.analysis().newStep(false)),
                        List.of(new ApplySchema(SchemaPhase.CONTRACT)), true);
            }
            Phase next = s.firstRelease() ? new Succeeded() : new TearingDown();
            String why = s.firstRelease() ? s.release() + " is the stable version" : "contract applied; tearing blue down";
            return new Decision(s.withPhase(next, now, why), List.of(new ApplySchema(SchemaPhase.CONTRACT)), true);
        }
        if (phase instanceof WatchingAfterContract) {
            return watchAfterContract(s, o);
        }
        if (phase instanceof TearingDown) {
            return new Decision(s.withPhase(new Succeeded(), now, s.release() + " is the stable version"),
                    List.of(new StopSlot(s.stable(), s.stableVersion())), true);
        }
        if (phase instanceof RollingBack r) {
            return rollingBack(s, r, now);
        }
        if (phase instanceof Failed f && f.resumeTo().rollbackable()) {
            return judgeOnly(s, o); // waits for resume or abort; a spike on green meanwhile still rolls back
        }
        return Decision.stay(s); // FAILED past the point of no return waits for resume; SUCCEEDED, ROLLED_BACK ended
    }

    /**
     * Effects that make the world match a persisted state again, e.g. after the deploy process was killed: the stored
     * split and its guard. Not when the router's guard cut green for this rollout ({@code seen}): the next decision
     * rolls back, and the router would refuse green its traffic anyway.
     */
    public List<Effect> reconcile(RolloutState s, WeightCheck seen) {
        if (!splitInForce(s.phase()) || seen(s, seen) instanceof WeightCheck.Tripped) {
            return List.of();
        }
        return List.of(new SetSplit(s.split(), guard(s, s.phase(), s.split(), s.analysis().memory())));
    }

    /** FAILED before the point of no return with green serving: still judged, so the router's guard is looked at too. */
    static boolean greenWaitsInFailed(RolloutState s) {
        return s.phase() instanceof Failed f && f.resumeTo().rollbackable() && s.split().green() > 0;
    }

    /**
     * The router's guard for {@code split} in phase {@code in}: armed whenever green has traffic that blue can take
     * back (a step, the bake, a pause, the gates before blue is drained; at 100 % too, while blue still runs), with
     * the judge's own hypotheses given blue's requests in {@code basis} (the judge's baseline so far; at a step's
     * start, the one the step that ended had). None on a first release (no blue to cut back to) and from the drain on (blue is going).
     */
    GreenGuard guard(RolloutState s, Phase in, Split split, JudgeMemory basis) {
        if (s.firstRelease() || split.green() == 0 || !in.rollbackable()) {
            return null;
        }
        return new GreenGuard(s.candidate(), s.runId(), judge.sequentialTest(basis.baselineRequests(),
                basis.baselineErrors()), judge.maxErrorRate());
    }

    /**
     * What the router said of the split, for this rollout: a trip of another rollout's guard (still on record at the
     * router) is only a split like any other.
     */
    static WeightCheck seen(RolloutState s, WeightCheck check) {
        if (check instanceof WeightCheck.Tripped t && !t.rollout().equals(s.runId())) {
            return t.actual().equals(s.split().inSlots(s.candidate())) ? new WeightCheck.Matches()
                    : new WeightCheck.Differs(t.actual());
        }
        return check;
    }

    /**
     * Answers the commands waiting when the router's guard cut green: an abort is what happens anyway, and a resume
     * carries on, which now means rolling back (so {@code botshift resume} follows it to its end); a promote or a pause
     * would give green what the router took away.
     */
    private static RolloutState answered(RolloutState s, Instant now) {
        RolloutState n = s.withRequests(List.of());
        for (Request r : s.requests()) {
            boolean carriesOn = r.kind() == Request.Kind.ABORT || r.kind() == Request.Kind.RESUME;
            n = n.record(carriesOn ? new RolloutEvent.CommandAccepted(now, r.kind(), r.by(), r.id())
                    : new RolloutEvent.CommandRefused(now, r.kind(), r.by(), "the router's guard cut green: the rollout "
                    + "rolls back", r.id()));
        }
        return n;
    }

    /** The router's guard cut green: roll back, for that reason (the {@link RolloutEvent.GuardTripped} event). */
    private static Decision guardTripped(RolloutState s, WeightCheck.Tripped t, Instant now) {
        String why = t.trip().describe();
        return go(s.record(new RolloutEvent.GuardTripped(t.trip().at(), t.trip())), new RollingBack(why), now, why);
    }

    /** Phases in which the stored weights are the router's split, so the split is verified before moving on. */
    static boolean splitInForce(Phase p) {
        return p instanceof Shifting || p instanceof Baking || p instanceof AwaitingApproval || p instanceof Paused
                || p instanceof DrainingBlue;
    }

    /** An effect threw: decide how the rollout reacts. */
    public Decision effectFailed(RolloutState s, Effect effect, String error, Instant now) {
        RolloutState failed = s.record(new RolloutEvent.EffectFailed(now, effect.describe(), error));
        if (effect instanceof StartSlot && s.phase().rollbackable()) {
            return go(failed, new RollingBack("green could not start: " + error), now, "green could not start");
        }
        if (effect instanceof Effect.RehearseExpand) {
            String why = "the expand rehearsal could not run: " + error + " (no expand changeset ran, blue is "
                    + "untouched: botshift resume rehearses again, or abort)";
            return new Decision(failed.withPhase(new Failed(why, new Expanding()), now, why), List.of(), false);
        }
        if (effect instanceof Effect.RehearseContract) {
            return Rehearsal.hold(failed, now, "the contract rehearsal could not run: " + error);
        }
        if (effect instanceof ApplySchema a) {
            Phase retry = a.phase() == SchemaPhase.EXPAND ? new Expanding() : new Contracting();
            String what = a.phase() == SchemaPhase.EXPAND
                    ? "expand failed (blue is untouched: fix and run botshift resume, or abort): "
                    : s.firstRelease()
                    ? "contract failed (fix and run botshift resume): "
                    : "contract failed (past the point of no return: fix and run botshift resume): ";
            return new Decision(failed.withPhase(new Failed(what + error, retry), now, what + error), List.of(), false);
        }
        if (trailingEffectFailures(failed) >= EFFECT_RETRIES) {
            String why = effect.describe() + " failed " + EFFECT_RETRIES + " times: " + error;
            return new Decision(failed.withPhase(new Failed(why, s.phase()), now, why), List.of(), false);
        }
        return Decision.stay(failed);
    }

    private static int trailingEffectFailures(RolloutState s) {
        int n = 0;
        for (int i = s.history().size() - 1; i >= 0 && s.history().get(i) instanceof RolloutEvent.EffectFailed; i--) {
            n++;
        }
        return n;
    }

    private Decision deployingGreen(RolloutState s, Snapshot o) {
        Instant now = o.now();
        Readiness r = o.candidateReadiness();
        if (r instanceof Readiness.Ready) {
            if (settings.approval() == Approval.EVERY_STEP) {
                return gate(s, stepName(s, 0), new Shifting(0), now);
            }
            return enter(s, new Shifting(0), now, s.firstRelease() ? "green is ready; " + firstReleaseWaits()
                    : "green is ready");
        }
        if (r instanceof Readiness.Failed f) {
            return go(s, new RollingBack("green failed: " + f.reason()), now, "green failed");
        }
        Duration waited = Duration.between(s.phaseSince(), now);
        if (waited.compareTo(settings.progressDeadline()) > 0) {
            String progress = r instanceof Readiness.Progressing p
                    ? p.ready() + "/" + p.desired() + " ready" + (p.why() == null ? "" : "; " + p.why())
                    : "nothing running";
            return go(s, new RollingBack("green not ready after " + settings.progressDeadline().toSeconds() + "s ("
                    + progress + ")"), now, "progress deadline exceeded");
        }
        if (r instanceof Readiness.Absent) {
            return new Decision(s, List.of(new StartSlot(s.candidate(), s.release(), settings.replicas())), false);
        }
        if (r instanceof Readiness.Progressing p && progressToTell(s, p, now)) {
            return new Decision(s.record(new RolloutEvent.GreenProgress(now, p.ready(), p.desired(), p.why(),
                    waited.toSeconds(), settings.progressDeadline().toSeconds())), List.of(), false);
        }
        return Decision.stay(s);
    }

    /**
     * What a first release waits for once green is ready, said then: with no traffic it judges nothing, and a user
     * watching it would otherwise see minutes pass unexplained (1 min 40 s for the Python example's plan).
     */
    private String firstReleaseWaits() {
        String watch = settings.postContract().isZero() ? ""
                : " and, after the contract, the post-contract watch (" + DurationText.format(settings.postContract()) + ")";
        return "first release: green has all traffic and nothing to fall back to, so it goes on without waiting for a "
                + "verdict, after its step (" + DurationText.format(settings.stepDuration()) + "), the bake ("
                + DurationText.format(settings.bake()) + ")" + watch + "; a failing verdict still stops it";
    }

    /** Whether green's progress changed since it was last told in this phase, or has not been told for a while. */
    private static boolean progressToTell(RolloutState s, Readiness.Progressing p, Instant now) {
        for (int i = s.history().size() - 1; i >= 0; i--) {
            RolloutEvent e = s.history().get(i);
            if (e instanceof RolloutEvent.PhaseChanged) {
                return true; // nothing told since green started coming up
            }
            if (e instanceof RolloutEvent.GreenProgress last) {
                boolean same = last.ready() == p.ready() && last.desired() == p.desired()
                        && java.util.Objects.equals(last.why(), p.why());
                return !same || Duration.between(last.at(), now).compareTo(PROGRESS_EVERY) >= 0;
            }
        }
        return true;
    }

    /** A shifting step or the bake: judge, then roll back, correct the split, pause, wait or move on. */
    private Decision watch(RolloutState s, Snapshot o, Duration duration) {
        Analysed a = analyse(s, o);
        RolloutState n = a.state();
        Instant now = o.now();
        AnalysisProgress p = n.analysis();
        WeightCheck split = seen(s, o.split()); // a trip of this rollout's guard was handled first (decide)
        if (failed(p)) {
            return rollBack(n, a, now, "");
        }
        if (split instanceof WeightCheck.Differs d) {
            return correctSplit(n, d, now);
        }
        // a first release has no users yet and nothing to fall back to: it may go on without evidence
        boolean needsEvidence = !n.firstRelease();
        if (needsEvidence && p.inconclusiveStreak() >= settings.inconclusiveLimit()) {
            String why = p.inconclusiveStreak() + " inconclusive verdicts in a row, last: " + a.verdict().reason();
            return go(n, new Paused(n.phase(), why), now, "paused for a human: " + why);
        }
        Duration inStep = Duration.between(n.phaseSince(), now);
        boolean elapsed = inStep.compareTo(duration) >= 0;
        // a spike building up (the sequential test past half its threshold) holds the step: green is not given more
        // traffic while the evidence against it grows (half the threshold the tick held the sums to)
        boolean suspect = p.memory().evidence() >= 0.5;
        if (elapsed && (p.passesThisStep() > 0 || !needsEvidence) && p.failures().inARow() == 0 && !suspect) {
            return advance(n, now, n.phase() instanceof Shifting sh ? stepName(n, sh.step()) + " passed" : "bake passed");
        }
        if (elapsed && needsEvidence && p.passesThisStep() == 0 && inStep.compareTo(settings.maxStepDuration()) >= 0) {
            String why = "no verdict within analysis.maxStepDuration " + DurationText.format(settings.maxStepDuration())
                    + " (last: " + a.verdict().reason() + "): green's traffic is too thin for analysis.minRequests "
                    + settings.judge().minRequests() + "; see docs/plan-file.md on sizing analysis";
            return go(n, new Paused(n.phase(), why), now, "paused for a human: " + why);
        }
        return Decision.stay(n);
    }

    /** Passes the current step or bake: the next step, the bake, a gate, draining blue, or (first release) contract. */
    Decision advance(RolloutState s, Instant now, String reason) {
        List<Integer> steps = settings.stepsFor(s);
        if (s.phase() instanceof Shifting sh && sh.step() + 1 < steps.size()) {
            Shifting next = new Shifting(sh.step() + 1);
            return settings.approval() == Approval.EVERY_STEP
                    ? gate(s, stepName(s, next.step()), next, now)
                    : enter(s, next, now, reason);
        }
        if (s.phase() instanceof Shifting) {
            return enter(s, new Baking(), now, "green has all traffic; baking");
        }
        Phase afterBake = s.firstRelease() ? new Contracting() : new DrainingBlue();
        if (settings.approval() != Approval.NONE) {
            return gate(s, "before contract", afterBake, now);
        }
        return s.firstRelease()
                ? go(s, afterBake, now, "baked; applying the contract changesets (first release: no older version to keep)")
                : enter(s, afterBake, now, "baked; draining blue");
    }

    /** At a gate or in a pause: the judge keeps watching wherever green has traffic, and the split stays verified. */
    private Decision judgeOnly(RolloutState s, Snapshot o) {
        if (s.split().green() == 0) {
            return Decision.stay(s);
        }
        Analysed a = analyse(s, o);
        WeightCheck split = seen(s, o.split());
        if (failed(a.state().analysis())) {
            return rollBack(a.state(), a, o.now(), " while waiting");
        }
        if (split instanceof WeightCheck.Differs d && splitInForce(s.phase())) {
            return correctSplit(a.state(), d, o.now());
        }
        return Decision.stay(a.state());
    }

    private boolean failed(AnalysisProgress p) {
        return p.failures().exceeds(settings.failureLimit(), settings.cumulativeFailureLimit());
    }

    private static Decision rollBack(RolloutState s, Analysed a, Instant now, String where) {
        String why = "analysis failed (" + s.analysis().failures().describe() + ")" + where + ": " + a.verdict().reason();
        return go(s, new RollingBack(why), now, why);
    }

    /**
     * Argo Rollouts' habit: a split that is not the one set is set again, and the step waits until it is. Never one
     * the router's guard cut (that rolls back instead, above).
     */
    private Decision correctSplit(RolloutState s, WeightCheck.Differs d, Instant now) {
        Split actual = Split.of(d.actual(), s.candidate());
        RolloutState n = s.record(new RolloutEvent.SplitCorrected(now, s.split(), actual));
        return new Decision(n, List.of(new SetSplit(s.split(), guard(s, s.phase(), s.split(), s.analysis().memory()))),
                false);
    }

    private Decision drainingBlue(RolloutState s, Snapshot o) {
        if (seen(s, o.split()) instanceof WeightCheck.Differs d) {
            return correctSplit(s, d, o.now()); // never stop blue while the router still sends it traffic
        }
        Decision rehearsal = Rehearsal.decided(s, o.now());
        if (rehearsal != null) {
            return rehearsal;
        }
        if (o.stableRunning() == 0) {
            return go(s, new Contracting(), o.now(),
                    "no blue instance left; POINT OF NO RETURN: contract changesets run now, rollback is impossible from here");
        }
        return new Decision(s, List.of(new StopSlot(s.stable(), s.stableVersion())), true);
    }

    /** After the contract: judged like the bake, but a failure cannot roll back and ends FAILED, never SUCCEEDED. */
    private Decision watchAfterContract(RolloutState s, Snapshot o) {
        Analysed a = analyse(s, o);
        RolloutState n = a.state();
        Instant now = o.now();
        if (failed(n.analysis())) {
            String why = "green failed after the contract (" + n.analysis().failures().describe() + "): "
                    + a.verdict().reason() + "; rollback is impossible, forward-fix (docs/runbook.md)";
            return go(n.record(new RolloutEvent.PostContractFailed(now, a.verdict().reason())),
                    new Failed(why, new WatchingAfterContract()), now, why);
        }
        boolean elapsed = Duration.between(n.phaseSince(), now).compareTo(settings.postContract()) >= 0;
        if (!elapsed || n.analysis().failures().inARow() > 0) {
            return Decision.stay(n);
        }
        String watched = "green passed the post-contract watch (" + n.analysis().passesThisStep() + " passing verdicts)";
        return s.firstRelease() ? go(n, new Succeeded(), now, watched + "; " + s.release() + " is the stable version")
                : go(n, new TearingDown(), now, watched + "; tearing blue down");
    }

    private Decision rollingBack(RolloutState s, RollingBack r, Instant now) {
        List<Effect> effects = new ArrayList<>();
        RolloutState n = s;
        if (!s.firstRelease()) {
            Split back = Split.allToBlue();
            effects.add(new SetSplit(back, null)); // the guard disarmed: a trip stays on record at the router
            n = n.withSplit(back, now);
        }
        effects.add(new StopSlot(s.candidate(), s.release()));
        // the cause is the phase's and the RolledBack event's (and was the ROLLING_BACK change's): not said a third time
        String done = s.firstRelease() ? "green stopped; nothing served before it" : "blue has all traffic; green stopped";
        n = n.withPhase(new RolledBack(r.reason()), now, done).record(new RolloutEvent.RolledBack(now, r.reason()));
        return new Decision(n, effects, true);
    }

    /** Moves to {@code next}, with the effects entering it needs (a step sets its weight). */
    Decision enter(RolloutState s, Phase next, Instant now, String reason) {
        Split split = null;
        if (next instanceof Shifting sh) {
            split = Split.green(settings.stepsFor(s).get(sh.step()));
        } else if (next instanceof Baking) {
            split = Split.allToGreen();
        }
        boolean blueServes = split != null && split.green() < 100 && !s.firstRelease();
        RolloutState n = s.withPhase(next, now, reason).withAnalysis(s.analysis().newStep(blueServes));
        if (next instanceof DrainingBlue && !s.firstRelease()) {
            // before anything of blue stops, the router's guard is disarmed: from here a cut to blue is no rollback.
            // Stored only once the router took it, so a trip just before leaves the rollout where it can roll back.
            return new Decision(n, List.of(new SetSplit(s.split(), null)), true);
        }
        if (split == null) {
            return new Decision(n, List.of(), true);
        }
        // set even when unchanged (the bake after a 100 % step, a bake resumed after a refused contract rehearsal
        // disarmed the guard for the drain): the guard is armed again with what the judge knows now
        return new Decision(n.withSplit(split, now), List.of(new SetSplit(split, guard(s, next, split,
                s.analysis().memory()))), true);
    }

    static Decision go(RolloutState s, Phase next, Instant now, String reason) {
        return new Decision(s.withPhase(next, now, reason), List.of(), true);
    }

    private static Decision gate(RolloutState s, String gate, Phase next, Instant now) {
        RolloutState n = s.withPhase(new AwaitingApproval(gate, next), now, "waiting for approval: " + gate)
                .record(new RolloutEvent.GateReached(now, gate));
        return new Decision(n, List.of(), true);
    }

    private String stepName(RolloutState s, int step) {
        return "step " + (step + 1) + " (" + settings.stepsFor(s).get(step) + "%)";
    }

    private record Analysed(RolloutState state, Verdict verdict) {
    }

    /** Turns the latest cumulative readings into one interval's verdict and updates the bookkeeping. */
    private Analysed analyse(RolloutState s, Snapshot o) {
        AnalysisProgress p = s.analysis();
        Verdict verdict;
        Counts green = o.green() instanceof Observation.Measured m ? m.counts() : null;
        Counts blue = o.blue() instanceof Observation.Measured m ? m.counts() : null;
        Counts greenWindow = null;
        Counts blueWindow = null;
        var memory = p.memory();
        // the custom checks and green's restarts, judged on their own readings; a failing one fails the interval
        Checks.Outcome checks = Checks.judge(settings.checks(), o.checks(), p.checks(), settings.judge().minRequests());
        if (o.green() instanceof Observation.Unreachable u) {
            verdict = Checks.combine(new Verdict.ProviderError("metrics unreachable: " + u.why()), checks);
        } else if (o.green() instanceof Observation.NoData nd) {
            verdict = Checks.combine(new Verdict.Inconclusive("no data for green: " + nd.why()), checks);
        } else if (p.lastGreen() == null) {
            // the first reading of a step only sets the start of the window (a failing check still fails the interval)
            verdict = Checks.combine(new Verdict.Inconclusive("window started"), checks);
            if (!(verdict instanceof Verdict.Fail)) {
                return new Analysed(s.withAnalysis(new AnalysisProgress(p.failures(), p.inconclusiveStreak(),
                        p.passesThisStep(), blue, green, memory, checks.memory())), verdict);
            }
        } else {
            greenWindow = green.since(p.lastGreen());
            blueWindow = blueWindow(s, o.blue());
            Judge.Judgement j = o.greenLooks() == null ? judge.judge(blueWindow, greenWindow, memory)
                    : judge.judgeLooked(blueWindow, greenWindow, memory, windows(o.greenLooks(), p.lastGreen()),
                            blueWindows(o.blueLooks(), blueWindow, p));
            int needed = settings.judge().minRequests();
            verdict = Checks.combine(j.verdict(), checks);
            String unread = missing(o.green());
            if (unread != null && !(verdict instanceof Verdict.Fail)) {
                verdict = new Verdict.ProviderError("metrics partly unreachable: " + unread + "; green's errors read "
                        + "so far can fail it, not pass it (" + verdict.reason() + ")");
            }
            if (greenWindow.requests() < needed && !(verdict instanceof Verdict.Fail)) {
                // Too few green requests for a verdict: the window stays open and the next interval judges it with
                // its own requests, so a step on thin traffic waits for evidence instead of piling up inconclusive
                // verdicts (it pauses only after analysis.maxStepDuration).
                Verdict waiting = new Verdict.Inconclusive("waiting for evidence: " + greenWindow.requests() + " of "
                        + needed + " green requests (minRequests) since the window opened");
                return new Analysed(s.withAnalysis(p.withChecks(checks.memory())).withVerdict(
                        new RolloutEvent.AnalysisResult(o.now(), waiting.kind(), waiting.reason(), null, null,
                                checks.results()), changedFrom(s, waiting)), waiting);
            }
            memory = j.memory();
        }
        boolean evidence = verdict instanceof Verdict.Pass || verdict instanceof Verdict.Fail;
        AnalysisProgress next = new AnalysisProgress(p.failures().after(verdict),
                evidence ? 0 : p.inconclusiveStreak() + 1,
                p.passesThisStep() + (verdict instanceof Verdict.Pass ? 1 : 0),
                green != null ? blue : p.lastBlue(), green != null ? green : p.lastGreen(), memory, checks.memory());
        // the events keep counts only: the verdict's reason already gives the p99s a latency rule saw, and 63 buckets per
        // colour per event would fill the history
        RolloutEvent.AnalysisResult event = new RolloutEvent.AnalysisResult(o.now(), verdict.kind(), verdict.reason(),
                blueWindow == null ? null : blueWindow.withLatency(null),
                greenWindow == null ? null : greenWindow.withLatency(null), checks.results());
        boolean changed = changedFrom(s, verdict);
        return new Analysed(s.withAnalysis(next).withVerdict(event, changed || verdict instanceof Verdict.Fail), verdict);
    }

    /**
     * Blue's window since the last tick, what green is held to; none on a first release, before blue's first
     * reading, or when blue was read in part (its errors unread would lower the limit green is held to).
     */
    private static Counts blueWindow(RolloutState s, Observation blue) {
        AnalysisProgress p = s.analysis();
        return blue instanceof Observation.Measured b && b.complete() && p.lastBlue() != null && !s.firstRelease()
                ? b.counts().since(p.lastBlue()) : null;
    }

    /** The source of errors a measured reading could not read ({@link Observation.Measured#missing}); else null. */
    private static String missing(Observation o) {
        return o instanceof Observation.Measured m ? m.missing() : null;
    }

    /**
     * Whether green's evidence since the last tick already decides a rollback: on the window so far, walked through
     * the {@code earlierLooks} (green's cumulative counts at the looks before this one; {@code earlierBlueLooks}
     * blue's, where it was read in full: an outage blue's latest looks show holds the sums), the judge's sequential
     * test has crossed its threshold (a decisive failure). The runner asks between ticks where the metrics are live and
     * then ends the interval early; the rollback itself is the next tick's decision, on the same rule and the same
     * looks. Only the sequential test ends an interval early: its thresholds are set for the looks
     * ({@link Judge#judgeLooked}), where the interval test's 95 % bound holds only once an interval.
     */
    public boolean decisiveSoFar(RolloutState s, Observation blue, Observation green, List<Counts> earlierLooks,
                                 List<Counts> earlierBlueLooks) {
        AnalysisProgress p = s.analysis();
        if (!mayEndEarly(s) || p.lastGreen() == null || !(green instanceof Observation.Measured g)) {
            return false;
        }
        Counts blueWindow = blueWindow(s, blue);
        return judge.judgeLooked(blueWindow, g.counts().since(p.lastGreen()), p.memory(),
                windows(earlierLooks, p.lastGreen()), blueWindows(earlierBlueLooks, blueWindow, p)).decisive();
    }

    /** Cumulative readings at the looks as windows since the interval's start. */
    private static List<Counts> windows(List<Counts> looks, Counts start) {
        return looks.stream().map(c -> c.since(start)).toList();
    }

    /** Blue's looks as windows since the interval's start; none where blue has no window to hold them to. */
    private static List<Counts> blueWindows(List<Counts> looks, Counts blueWindow, AnalysisProgress p) {
        return blueWindow == null || looks == null ? List.of() : windows(looks, p.lastBlue());
    }

    /** Where an interval can end early at all: green has traffic and a rollback is still possible. */
    public static boolean mayEndEarly(RolloutState s) {
        return s.phase().rollbackable() && s.split().green() > 0;
    }

    /** Whether {@code verdict} differs in kind from the last one recorded (repeats are not written to the history). */
    private static boolean changedFrom(RolloutState s, Verdict verdict) {
        List<RolloutEvent> recent = s.recentVerdicts();
        return recent.isEmpty()
                || !(recent.get(recent.size() - 1) instanceof RolloutEvent.AnalysisResult last && last.verdict() == verdict.kind());
    }

    RolloutSettings settings() {
        return settings;
    }
}
