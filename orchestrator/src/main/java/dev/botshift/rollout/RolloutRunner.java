package dev.botshift.rollout;

import dev.botshift.analysis.Observation;
import dev.botshift.core.BotshiftException;
import dev.botshift.core.ExitCode;
import dev.botshift.rollout.Effect.ApplySchema;
import dev.botshift.rollout.Effect.SetWeights;
import dev.botshift.rollout.Effect.StartColour;
import dev.botshift.rollout.Effect.StopColour;
import dev.botshift.schema.ApplyResult;
import dev.botshift.state.StateStore.Versioned;
import dev.botshift.workload.Readiness;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives one rollout to its end (or to a gate, when detached): observe through the ports, ask the {@link Decider},
 * carry out the effects, persist. The imperative shell around the pure decider; it holds the app's lock throughout.
 */
public final class RolloutRunner {
    private final Ports ports;
    private final Decider decider;
    private final Clock clock;
    private final Pauser pauser;
    private final List<RolloutListener> listeners;
    private final Duration interval;
    /** The exit code of the last effect that failed: what a FAILED outcome reports. */
    private int lastExitCode = ExitCode.INTERNAL;

    public RolloutRunner(Ports ports, RolloutSettings settings, Clock clock, Pauser pauser, List<RolloutListener> listeners) {
        this.ports = ports;
        this.decider = new Decider(settings);
        this.clock = clock;
        this.pauser = pauser;
        this.listeners = List.copyOf(listeners);
        this.interval = settings.interval();
    }

    /**
     * Runs the app's stored rollout. The caller holds the app lock.
     *
     * @param detach return {@link Outcome.Waiting} at a gate or pause instead of waiting there
     */
    public Outcome run(String app, boolean detach) throws InterruptedException {
        StoredState stored = StoredState.load(ports.store(), app);
        RolloutState state = stored.state();
        for (Effect e : decider.reconcile(state)) {
            try {
                execute(e, state);
            } catch (RuntimeException ex) {
                state = decider.effectFailed(state, e, message(ex), clock.instant()).next();
            }
        }
        while (true) {
            Phase phase = state.phase();
            if (phase instanceof Phase.Succeeded) {
                return new Outcome.Succeeded(state);
            }
            if (phase instanceof Phase.RolledBack r) {
                return new Outcome.RolledBack(state, r.reason());
            }
            if (phase instanceof Phase.Failed f && state.requests().isEmpty()) {
                return new Outcome.Failed(state, f.reason(), lastExitCode);
            }
            if (detach && state.requests().isEmpty()
                    && (phase instanceof Phase.AwaitingApproval || phase instanceof Phase.Paused)) {
                return new Outcome.Waiting(state, phase instanceof Phase.AwaitingApproval a
                        ? "approval: " + a.gate() : "paused: " + ((Phase.Paused) phase).reason());
            }
            state = stored.refresh(state);
            Snapshot snapshot = observe(state);
            Decision d = decider.decide(state, snapshot);
            RolloutState next = d.next();
            for (Effect e : d.effects()) {
                try {
                    next = execute(e, next);
                } catch (RuntimeException ex) {
                    lastExitCode = ex instanceof BotshiftException b ? b.exitCode() : ExitCode.INTERNAL;
                    d = decider.effectFailed(state, e, message(ex), clock.instant());
                    next = d.next();
                    break;
                }
            }
            RolloutState before = state;
            state = stored.save(before, next);
            publish(before, state, snapshot);
            if (!d.immediate()) {
                // A fixed rate: each analysis window lasts the plan's interval, not the interval plus this tick's work
                // (reading metrics, saving state), which on a busy machine would stretch every reaction.
                Duration left = interval.minus(Duration.between(snapshot.now(), clock.instant()));
                pauser.pause(left.isNegative() ? Duration.ZERO : left);
            }
        }
    }

    private Snapshot observe(RolloutState s) {
        Phase p = s.phase();
        Readiness readiness = p instanceof Phase.DeployingGreen ? ports.workloads().readiness(s.candidate()) : null;
        int stableRunning = p instanceof Phase.DrainingBlue && !s.firstRelease() ? ports.workloads().running(s.stable()) : 0;
        boolean judging = p instanceof Phase.Shifting || p instanceof Phase.Baking || p instanceof Phase.AwaitingApproval
                || p instanceof Phase.Paused;
        Observation green = judging ? ports.metrics().observe(s.candidate()) : null;
        Observation blue = judging
                ? (s.firstRelease() ? new Observation.NoData("first release: no blue") : ports.metrics().observe(s.stable()))
                : null;
        return new Snapshot(clock.instant(), readiness, stableRunning, blue, green);
    }

    /** Carries out one effect; returns the state with what the effect reported (e.g. the changesets applied). */
    private RolloutState execute(Effect e, RolloutState s) {
        if (e instanceof ApplySchema a) {
            ApplyResult r = ports.schema().apply(a.phase());
            return s.record(new RolloutEvent.SchemaApplied(clock.instant(), a.phase().label(), r.applied(), r.lockRetries()));
        }
        if (e instanceof StartColour st) {
            ports.workloads().start(st.colour(), st.version(), st.replicas());
        } else if (e instanceof StopColour sp) {
            ports.workloads().stop(sp.colour());
        } else if (e instanceof SetWeights w) {
            ports.router().setWeights(w.weights());
        }
        return s;
    }

    private void publish(RolloutState before, RolloutState after, Snapshot snapshot) {
        List<RolloutEvent> fresh = new ArrayList<>();
        int from = Math.min(before.history().size(), after.history().size());
        if (after.history().size() > from) {
            fresh.addAll(after.history().subList(from, after.history().size()));
        }
        for (RolloutListener l : listeners) {
            for (RolloutEvent ev : fresh) {
                l.onEvent(ev, after);
            }
            l.onTick(after, snapshot);
        }
    }

    private static String message(RuntimeException ex) {
        return ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    }
}
