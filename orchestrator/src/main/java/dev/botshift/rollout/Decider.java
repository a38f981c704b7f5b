package dev.botshift.rollout;

import dev.botshift.analysis.Counts;
import dev.botshift.analysis.Judge;
import dev.botshift.analysis.Observation;
import dev.botshift.analysis.Verdict;
import dev.botshift.core.Weights;
import dev.botshift.plan.Approval;
import dev.botshift.rollout.Effect.ApplySchema;
import dev.botshift.rollout.Effect.SetWeights;
import dev.botshift.rollout.Effect.StartColour;
import dev.botshift.rollout.Effect.StopColour;
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
import dev.botshift.schema.SchemaPhase;
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

    private final RolloutSettings settings;
    private final Judge judge;
    private final Manual manual;

    public Decider(RolloutSettings settings) {
        this.settings = settings;
        this.judge = new Judge(settings.judge());
        this.manual = new Manual(this);
    }

    public Decision decide(RolloutState s, Snapshot o) {
        if (!s.requests().isEmpty()) {
            return manual.handle(s, s.requests().get(0), o.now());
        }
        Instant now = o.now();
        Phase phase = s.phase();
        if (phase instanceof Pending) {
            return go(s, new Expanding(), now, "expanding the schema while blue keeps serving");
        }
        if (phase instanceof Expanding) {
            return new Decision(s.withPhase(new DeployingGreen(), now, "schema expanded; starting green"),
                    List.of(new ApplySchema(SchemaPhase.EXPAND),
                            new StartColour(s.candidate(), s.release(), settings.replicas())), false);
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
            return new Decision(s.withPhase(new TearingDown(), now, "contract applied; tearing blue down"),
                    List.of(new ApplySchema(SchemaPhase.CONTRACT)), true);
        }
        if (phase instanceof TearingDown) {
            return new Decision(s.withPhase(new Succeeded(), now, s.release() + " is the stable version"),
                    s.firstRelease() ? List.of() : List.of(new StopColour(s.stable())), true);
        }
        if (phase instanceof RollingBack r) {
            return rollingBack(s, r, now);
        }
        return Decision.stay(s); // FAILED waits for resume; SUCCEEDED and ROLLED_BACK have ended
    }

    /** Effects that make the world match a persisted state again, e.g. after the deploy process was killed. */
    public List<Effect> reconcile(RolloutState s) {
        Phase p = s.phase();
        boolean serving = p instanceof Shifting || p instanceof Baking || p instanceof AwaitingApproval
                || p instanceof Paused || p instanceof DrainingBlue;
        return serving ? List.of(new SetWeights(s.weights())) : List.of();
    }

    /** An effect threw: decide how the rollout reacts. */
    public Decision effectFailed(RolloutState s, Effect effect, String error, Instant now) {
        RolloutState failed = s.record(new RolloutEvent.EffectFailed(now, effect.describe(), error));
        if (effect instanceof StartColour && s.phase().rollbackable()) {
            return go(failed, new RollingBack("green could not start: " + error), now, "green could not start");
        }
        if (effect instanceof ApplySchema a) {
            Phase retry = a.phase() == SchemaPhase.EXPAND ? new Expanding() : new Contracting();
            String what = a.phase() == SchemaPhase.CONTRACT
                    ? "contract failed (past the point of no return: fix and run botshift resume): "
                    : "expand failed (blue is untouched: fix and run botshift resume, or abort): ";
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
                return gate(s, stepGate(s, 0), new Shifting(0), now);
            }
            return enter(s, new Shifting(0), now, "green is ready");
        }
        if (r instanceof Readiness.Failed f) {
            return go(s, new RollingBack("green failed: " + f.reason()), now, "green failed");
        }
        Duration waited = Duration.between(s.phaseSince(), now);
        if (waited.compareTo(settings.progressDeadline()) > 0) {
            String progress = r instanceof Readiness.Progressing p ? p.ready() + "/" + p.desired() + " ready" : "nothing running";
            return go(s, new RollingBack("green not ready after " + settings.progressDeadline().toSeconds() + "s ("
                    + progress + ")"), now, "progress deadline exceeded");
        }
        if (r instanceof Readiness.Absent) {
            return new Decision(s, List.of(new StartColour(s.candidate(), s.release(), settings.replicas())), false);
        }
        return Decision.stay(s);
    }

    /** A shifting step or the bake: judge, then roll back, pause, wait or move on. */
    private Decision watch(RolloutState s, Snapshot o, Duration duration) {
        Analysed a = analyse(s, o);
        RolloutState n = a.state();
        Instant now = o.now();
        AnalysisProgress p = n.analysis();
        if (p.consecutiveFailures() >= settings.failureLimit() || p.totalFailures() >= settings.cumulativeFailureLimit()) {
            String why = "analysis failed (" + failures(p.consecutiveFailures()) + " in a row, " + p.totalFailures()
                    + " in all): "
                    + a.verdict().reason();
            return go(n, new RollingBack(why), now, why);
        }
        // a first release has no users yet and nothing to fall back to: it may go on without evidence
        boolean needsEvidence = !n.firstRelease();
        if (needsEvidence && p.inconclusiveStreak() >= settings.inconclusiveLimit()) {
            String why = p.inconclusiveStreak() + " inconclusive verdicts in a row, last: " + a.verdict().reason();
            return go(n, new Paused(n.phase(), why), now, "paused for a human: " + why);
        }
        boolean elapsed = Duration.between(n.phaseSince(), now).compareTo(duration) >= 0;
        if (elapsed && (p.passesThisStep() > 0 || !needsEvidence) && p.consecutiveFailures() == 0) {
            return advance(n, now, "step passed");
        }
        return Decision.stay(n);
    }

    /** Passes the current step or bake: the next step, the bake, a gate, or draining blue. */
    Decision advance(RolloutState s, Instant now, String reason) {
        List<Integer> steps = settings.stepsFor(s);
        if (s.phase() instanceof Shifting sh && sh.step() + 1 < steps.size()) {
            Shifting next = new Shifting(sh.step() + 1);
            return settings.approval() == Approval.EVERY_STEP
                    ? gate(s, stepGate(s, next.step()), next, now)
                    : enter(s, next, now, reason);
        }
        if (s.phase() instanceof Shifting) {
            return enter(s, new Baking(), now, "green has all traffic; baking");
        }
        return settings.approval() == Approval.NONE
                ? go(s, new DrainingBlue(), now, "baked; draining blue")
                : gate(s, "before contract", new DrainingBlue(), now);
    }

    private Decision judgeOnly(RolloutState s, Snapshot o) {
        if (s.weights().of(s.candidate()) == 0) {
            return Decision.stay(s);
        }
        Analysed a = analyse(s, o);
        AnalysisProgress p = a.state().analysis();
        if (p.consecutiveFailures() >= settings.failureLimit()) {
            String why = "analysis failed (" + failures(p.consecutiveFailures()) + " in a row) while waiting: "
                    + a.verdict().reason();
            return go(a.state(), new RollingBack(why), o.now(), why);
        }
        return Decision.stay(a.state());
    }

    private Decision drainingBlue(RolloutState s, Snapshot o) {
        if (s.firstRelease() || o.stableRunning() == 0) {
            return go(s, new Contracting(), o.now(),
                    "no blue instance left; POINT OF NO RETURN: contract changesets run now, rollback is impossible from here");
        }
        return new Decision(s, List.of(new StopColour(s.stable())), true);
    }

    private Decision rollingBack(RolloutState s, RollingBack r, Instant now) {
        List<Effect> effects = new ArrayList<>();
        RolloutState n = s;
        if (!s.firstRelease()) {
            Weights back = Weights.allTo(s.stable());
            effects.add(new SetWeights(back));
            n = n.withWeights(back, now);
        }
        effects.add(new StopColour(s.candidate()));
        n = n.withPhase(new RolledBack(r.reason()), now, r.reason()).record(new RolloutEvent.RolledBack(now, r.reason()));
        return new Decision(n, effects, true);
    }

    /** Moves to {@code next}, with the effects entering it needs (a step sets its weight). */
    Decision enter(RolloutState s, Phase next, Instant now, String reason) {
        RolloutState n = s.withPhase(next, now, reason).withAnalysis(s.analysis().newStep());
        Weights w = null;
        if (next instanceof Shifting sh) {
            w = Weights.canary(s.candidate(), settings.stepsFor(s).get(sh.step()));
        } else if (next instanceof Baking) {
            w = Weights.allTo(s.candidate());
        }
        if (w == null || w.equals(s.weights()) && !(next instanceof Shifting)) {
            return new Decision(n, List.of(), true);
        }
        return new Decision(n.withWeights(w, now), List.of(new SetWeights(w)), true);
    }

    static Decision go(RolloutState s, Phase next, Instant now, String reason) {
        return new Decision(s.withPhase(next, now, reason), List.of(), true);
    }

    private static Decision gate(RolloutState s, String gate, Phase next, Instant now) {
        RolloutState n = s.withPhase(new AwaitingApproval(gate, next), now, "waiting for approval: " + gate)
                .record(new RolloutEvent.GateReached(now, gate));
        return new Decision(n, List.of(), true);
    }

    private String stepGate(RolloutState s, int step) {
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
        if (o.green() instanceof Observation.Unreachable u) {
            verdict = new Verdict.ProviderError("metrics unreachable: " + u.why());
        } else if (o.green() instanceof Observation.NoData nd) {
            verdict = new Verdict.Inconclusive("no data for green: " + nd.why());
        } else if (p.lastGreen() == null) {
            // the first reading of a step only sets the start of the window
            return new Analysed(s.withAnalysis(new AnalysisProgress(p.consecutiveFailures(), p.totalFailures(),
                    p.inconclusiveStreak(), p.passesThisStep(), blue, green, memory)), new Verdict.Inconclusive("window started"));
        } else {
            greenWindow = green.since(p.lastGreen());
            blueWindow = blue != null && p.lastBlue() != null && !s.firstRelease() ? blue.since(p.lastBlue()) : null;
            Judge.Judgement j = judge.judge(blueWindow, greenWindow, memory);
            verdict = j.verdict();
            memory = j.memory();
        }
        AnalysisProgress next;
        if (verdict instanceof Verdict.Pass) {
            next = new AnalysisProgress(0, p.totalFailures(), 0, p.passesThisStep() + 1, blue, green, memory);
        } else if (verdict instanceof Verdict.Fail f) {
            next = new AnalysisProgress(p.consecutiveFailures() + f.weight(), p.totalFailures() + f.weight(), 0,
                    p.passesThisStep(), blue, green, memory);
        } else if (green != null) {
            next = new AnalysisProgress(p.consecutiveFailures(), p.totalFailures(), p.inconclusiveStreak() + 1,
                    p.passesThisStep(), blue, green, memory);
        } else {
            next = new AnalysisProgress(p.consecutiveFailures(), p.totalFailures(), p.inconclusiveStreak() + 1,
                    p.passesThisStep(), p.lastBlue(), p.lastGreen(), memory);
        }
        String kind = kind(verdict);
        RolloutEvent.AnalysisResult event = new RolloutEvent.AnalysisResult(o.now(), kind, verdict.reason(),
                blueWindow, greenWindow);
        List<RolloutEvent> recent = s.recentVerdicts();
        boolean changed = recent.isEmpty()
                || !(recent.get(recent.size() - 1) instanceof RolloutEvent.AnalysisResult last && last.verdict().equals(kind));
        return new Analysed(s.withAnalysis(next).withVerdict(event, changed || verdict instanceof Verdict.Fail), verdict);
    }

    /** Failures are counted with their weight: one glaring interval can be "2 failures". */
    private static String failures(int n) {
        return n == 1 ? "1 failure" : n + " failures";
    }

    static String kind(Verdict v) {
        if (v instanceof Verdict.Pass) {
            return "PASS";
        }
        if (v instanceof Verdict.Fail) {
            return "FAIL";
        }
        return v instanceof Verdict.Inconclusive ? "INCONCLUSIVE" : "PROVIDER_ERROR";
    }

    RolloutSettings settings() {
        return settings;
    }
}
