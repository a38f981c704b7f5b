package dev.botshift.rollout;

import dev.botshift.analysis.Counts;
import dev.botshift.analysis.MetricCheck;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.Observation;
import dev.botshift.core.BotshiftException;
import dev.botshift.core.ExitCode;
import dev.botshift.rollout.Effect.ApplySchema;
import dev.botshift.rollout.Effect.SetSplit;
import dev.botshift.rollout.Effect.StartSlot;
import dev.botshift.rollout.Effect.StopSlot;
import dev.botshift.schema.ApplyResult;
import dev.botshift.state.AppLock;
import dev.botshift.state.LockLostException;
import dev.botshift.traffic.WeightCheck;
import dev.botshift.workload.Readiness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Drives one rollout to its end (or to a gate, when detached): observe through the ports, ask the {@link Decider},
 * carry out the effects, persist. The imperative shell around the pure decider. It acts only while it holds the
 * app's lock: before every effect and every write it checks the lock, and stops at once
 * ({@link dev.botshift.state.LockLostException}) when the lock was lost.
 */
public final class RolloutRunner {
    /** Looks at green's evidence per interval, between ticks, where the metrics are live. */
    public static final int LOOKS_PER_INTERVAL = 10;
    /** The closest two looks may be: each reads the router and the bots. */
    static final Duration LOOK_FLOOR = Duration.ofMillis(100);
    /** How often green's readiness is looked at while it comes up: a health check per instance, or a read of its Deployment. */
    static final Duration READINESS_LOOK = Duration.ofMillis(500);

    private final Ports ports;
    private final Decider decider;
    private final Clock clock;
    private final Pauser pauser;
    private final List<RolloutListener> listeners;
    private final Duration interval;
    private final List<MetricCheck> checks;
    private final AppLock lock;
    /** The exit code of the last effect that failed: what a FAILED outcome reports. */
    private int lastExitCode = ExitCode.INTERNAL;

    /** @param lock the app's lock, held by the caller: every effect and write is fenced by it */
    public RolloutRunner(Ports ports, RolloutSettings settings, Clock clock, Pauser pauser, List<RolloutListener> listeners,
                         AppLock lock) {
        this.ports = ports;
        this.lock = lock;
        this.decider = new Decider(settings);
        this.clock = clock;
        this.pauser = pauser;
        this.listeners = List.copyOf(listeners);
        this.interval = settings.interval();
        this.checks = settings.checks();
    }

    /**
     * Runs the app's stored rollout. The caller holds the app lock.
     *
     * @param until how far: to a gate ({@link Outcome.Waiting}), to a failure ({@link Outcome.Failed}) or to the end
     */
    public Outcome run(String app, Until until) throws InterruptedException {
        StoredState stored = StoredState.load(ports.store(), app, lock);
        RolloutState state = stored.state();
        for (Effect e : decider.reconcile(state, Decider.splitInForce(state.phase()) ? verify(state) : null)) {
            lock.check();
            try {
                execute(e, state);
            } catch (RuntimeException ex) {
                state = decider.effectFailed(state, e, message(ex), clock.instant()).next();
            }
        }
        Looks looks = null; // what the looks into the interval now ending saw
        boolean firstTick = true;
        while (true) {
            lock.check();
            state = stored.withInbox(state); // before the checks below: a command may end a wait at a gate
            Phase phase = state.phase();
            if (phase instanceof Phase.Succeeded) {
                return new Outcome.Succeeded(state);
            }
            if (phase instanceof Phase.RolledBack r) {
                return new Outcome.RolledBack(state, r.reason());
            }
            if (phase instanceof Phase.Failed f && state.requests().isEmpty() && until != Until.END) {
                return new Outcome.Failed(state, f.reason(), lastExitCode);
            }
            if (until == Until.GATE && state.requests().isEmpty()
                    && (phase instanceof Phase.AwaitingApproval || phase instanceof Phase.Paused)) {
                return new Outcome.Waiting(state, phase instanceof Phase.AwaitingApproval a
                        ? "approval: " + a.gate() : "paused: " + ((Phase.Paused) phase).reason());
            }
            RolloutState before = state;
            // what the guard repaired since the last tick comes before this tick's decision, in the history too
            state = state.recordAll(repairs(state));
            if (firstTick) {
                state = unblocked(state); // saved with this first decision: then it is driven again
                firstTick = false;
            }
            Snapshot snapshot = observe(state, looks);
            looks = null;
            Decision d = carryOut(state, decider.decide(state, snapshot), snapshot.now());
            state = stored.save(d.next());
            publish(before, state, snapshot);
            if (!d.immediate()) {
                // A fixed rate: each analysis window lasts the plan's interval, not the interval plus this tick's work
                // (reading metrics, saving state), which on a busy machine would stretch every reaction.
                Duration left = interval.minus(Duration.between(snapshot.now(), clock.instant()));
                looks = awaitNextTick(state, snapshot, left.isNegative() ? Duration.ZERO : left);
            }
        }
    }

    /**
     * Waits out the rest of the interval. Where green is judged and the metrics are live, it looks at green's
     * evidence {@link #LOOKS_PER_INTERVAL} times an interval (at least {@link #LOOK_FLOOR} apart) and ends the wait
     * as soon as the sequential test already decides a rollback ({@link Decider#decisiveSoFar}): a spike is then not
     * left running until the interval's end, half an interval on average.
     *
     * @return what the looks saw, for the tick that ends the interval (which walks its sequential test through them,
     *         and decides on the readings of the look that decided, if one did); null where the interval was not
     *         looked into
     */
    private Looks awaitNextTick(RolloutState state, Snapshot last, Duration left) throws InterruptedException {
        if (state.phase() instanceof Phase.DeployingGreen) {
            lookUntil(left, READINESS_LOOK, () -> greenSettled(state));
            return null;
        }
        if (last.green() == null || !ports.metrics().live() || !Decider.mayEndEarly(state)) {
            pauser.pause(left);
            return null;
        }
        Duration look = interval.dividedBy(LOOKS_PER_INTERVAL);
        Looks looks = new Looks();
        lookUntil(left, look.compareTo(LOOK_FLOOR) < 0 ? LOOK_FLOOR : look, () -> decisiveSoFar(state, looks));
        return looks;
    }

    /** What the looks into one interval saw. */
    private static final class Looks {
        /** Green's cumulative counts at the looks that did not decide, in order. */
        final List<Counts> green = new ArrayList<>();
        /** Blue's at those looks where it was read in full, in order. */
        final List<Counts> blue = new ArrayList<>();
        /**
         * The readings of the look that decided, if one did: the tick decides on them rather than reading again (the
         * two reads take 18 ms at the median under load, 139 ms at p99, while a spike runs on).
         */
        Readings decided;
    }

    /** One look's readings of blue (null on a first release) and green. */
    private record Readings(Observation blue, Observation green) {
    }

    /** Pauses for {@code left}, looking every {@code look}; ends early once {@code decided} says so. */
    private void lookUntil(Duration left, Duration look, java.util.function.BooleanSupplier decided)
            throws InterruptedException {
        Instant end = clock.instant().plus(left);
        // bounded by count too: a clock that does not move with the pauses must not make this wait forever
        for (long looks = left.toMillis() / look.toMillis() + 1; looks > 0; looks--) {
            Duration rest = Duration.between(clock.instant(), end);
            if (rest.isNegative() || rest.isZero()) {
                return;
            }
            pauser.pause(rest.compareTo(look) < 0 ? rest : look);
            if (clock.instant().isBefore(end) && decided.getAsBoolean()) {
                return;
            }
        }
    }

    /**
     * Whether green, coming up, is ready or has failed: the next tick then moves on at once (to the first step, or
     * back), not an analysis interval later.
     */
    private boolean greenSettled(RolloutState s) {
        try {
            Readiness r = ports.workloads().readiness(s.candidate());
            return r instanceof Readiness.Ready || r instanceof Readiness.Failed;
        } catch (RuntimeException e) {
            return false; // a look that fails changes nothing: the tick at the interval's end reads again
        }
    }

    /** One look: whether green's evidence so far decides; its readings are kept for the tick when it does. */
    private boolean decisiveSoFar(RolloutState s, Looks looks) {
        try {
            Observation green = ports.metrics().observe(new MetricsTarget(s.candidate(), s.release()));
            Observation blue = s.firstRelease() ? null
                    : ports.metrics().observe(new MetricsTarget(s.stable(), s.stableVersion()));
            boolean decided = decider.decisiveSoFar(s, blue, green, looks.green, looks.blue);
            if (decided) {
                looks.decided = new Readings(blue, green); // the interval's end: not a look into it
            } else if (green instanceof Observation.Measured m) {
                looks.green.add(m.counts());
                if (blue instanceof Observation.Measured b && b.complete()) {
                    looks.blue.add(b.counts());
                }
            }
            return decided;
        } catch (RuntimeException e) {
            return false; // a look that fails changes nothing: the tick at the interval's end reads again
        }
    }

    /**
     * Runs the decision's effects in order and returns the decision that stands. If all succeed, the decided state is
     * settled: what the effects reported, then the decision's own events stamped now. If one fails, the events of the
     * effects that did succeed are kept and the decider says how to react.
     */
    private Decision carryOut(RolloutState state, Decision d, Instant decidedAt) {
        List<RolloutEvent> reported = new ArrayList<>();
        recordStatements(state).ifPresent(reported::add);
        Instant shifted = null;
        for (Effect e : d.effects()) {
            lock.check(); // a holder that lost the lock stops here: LockLostException ends the run
            try {
                execute(e, state).ifPresent(reported::add);
            } catch (LockLostException ex) {
                throw ex;
            } catch (RuntimeException ex) {
                lastExitCode = ex instanceof BotshiftException b ? b.exitCode() : ExitCode.INTERNAL;
                return decider.effectFailed(state.recordAll(reported), e, message(ex), clock.instant());
            }
            if (e instanceof SetSplit) {
                shifted = clock.instant();
            }
        }
        if (d.next().phase() instanceof Phase.Failed) {
            lastExitCode = ExitCode.FAILED; // decided (a refused contract, green failing after it), not an effect's error
        }
        return new Decision(d.next().settled(state.history().size(), reported, decidedAt, shifted, clock.instant()),
                d.effects(), d.immediate());
    }

    /**
     * Once green has all traffic (and blue still runs), what runs on the database is recorded for the contract
     * rehearsal; the adapter starts once per run, so this is a no-op on later ticks.
     */
    private Optional<RolloutEvent> recordStatements(RolloutState s) {
        if (s.split().green() < 100 || !s.phase().rollbackable()) {
            return Optional.empty();
        }
        try {
            return ports.schema().rehearsal().startRecording()
                    .map(r -> new RolloutEvent.StatementsRecording(clock.instant(), r.recording(), r.detail()));
        } catch (RuntimeException e) {
            return Optional.of(new RolloutEvent.StatementsRecording(clock.instant(), false,
                    "statements are not recorded, the contract rehearsal will be skipped: " + message(e)));
        }
    }

    /** The platform's own repairs since the last tick, named by colour. */
    /** {@code s} with a {@link RolloutEvent.DriverUnblocked} when its last word was that nothing could drive it. */
    private RolloutState unblocked(RolloutState s) {
        List<RolloutEvent> h = s.history();
        return !h.isEmpty() && h.get(h.size() - 1) instanceof RolloutEvent.DriverBlocked b
                ? s.record(new RolloutEvent.DriverUnblocked(clock.instant(), lock.holder(), b.at())) : s;
    }

    private List<RolloutEvent> repairs(RolloutState s) {
        List<RolloutEvent> events = new ArrayList<>();
        for (Repairs.Repair r : ports.repairs().take()) {
            String who = r.slot() == null ? "router" : r.slot() == s.candidate() ? "green" : "blue";
            events.add(new RolloutEvent.DataPlaneRepaired(r.at(), who + ": " + r.what()));
        }
        return events;
    }

    private Snapshot observe(RolloutState s, Looks looks) {
        Phase p = s.phase();
        Readiness readiness = p instanceof Phase.DeployingGreen ? ports.workloads().readiness(s.candidate()) : null;
        int stableRunning = p instanceof Phase.DrainingBlue ? ports.workloads().running(s.stable()) : 0;
        boolean afterContract = p instanceof Phase.WatchingAfterContract
                || p instanceof Phase.Failed f && f.resumeTo() instanceof Phase.WatchingAfterContract;
        boolean judging = p instanceof Phase.Shifting || p instanceof Phase.Baking || p instanceof Phase.AwaitingApproval
                || p instanceof Phase.Paused || p instanceof Phase.Failed && s.split().green() > 0 || afterContract;
        Readings decided = looks == null ? null : looks.decided;
        Observation green = !judging ? null : decided != null ? decided.green()
                : ports.metrics().observe(new MetricsTarget(s.candidate(), s.release()));
        Observation blue = !judging ? null : s.firstRelease() ? new Observation.NoData("first release: no blue")
                : afterContract ? new Observation.NoData("blue is gone after the contract")
                : decided != null && decided.blue() != null ? decided.blue()
                : ports.metrics().observe(new MetricsTarget(s.stable(), s.stableVersion()));
        WeightCheck split = Decider.splitInForce(p) || Decider.greenWaitsInFailed(s) ? verify(s) : null;
        var seen = judging ? CheckObserver.observe(checks, ports, s, afterContract) : null;
        return new Snapshot(clock.instant(), readiness, stableRunning, blue, green, split, seen,
                judging && looks != null ? looks.green : null, judging && looks != null ? looks.blue : null);
    }

    /** A router that cannot be read is no proof of a wrong split: the next effect on it will report the failure. */
    private WeightCheck verify(RolloutState s) {
        try {
            return ports.router().verify(s.split().inSlots(s.candidate()));
        } catch (RuntimeException e) {
            return new WeightCheck.Unknown(message(e));
        }
    }

    /** Carries out one effect; returns what it reported for the audit trail (e.g. the changesets applied). */
    private Optional<RolloutEvent> execute(Effect e, RolloutState s) {
        if (e instanceof ApplySchema a) {
            ApplyResult r = ports.schema().apply(a.phase());
            return Optional.of(new RolloutEvent.SchemaApplied(clock.instant(), a.phase(), r.applied(), r.lockRetries()));
        }
        if (e instanceof Effect.RehearseExpand) {
            return Optional.of(new RolloutEvent.ExpandRehearsed(clock.instant(),
                    ports.schema().expandRehearsal().rehearse()));
        }
        if (e instanceof Effect.RehearseContract) {
            return Optional.of(new RolloutEvent.ContractRehearsed(clock.instant(), ports.schema().rehearsal().rehearse()));
        }
        if (e instanceof StartSlot st) {
            ports.workloads().start(st.slot(), st.version(), st.replicas());
        } else if (e instanceof StopSlot sp) {
            ports.workloads().stop(sp.slot());
        } else if (e instanceof SetSplit w) {
            ports.router().setWeights(w.split().inSlots(s.candidate()), w.guard());
        }
        return Optional.empty();
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
