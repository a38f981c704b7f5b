package dev.botshift.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.analysis.Observation;
import dev.botshift.core.Slot;
import dev.botshift.core.ExitCode;
import dev.botshift.core.Weights;
import dev.botshift.plan.Approval;
import dev.botshift.platform.RolloutSession;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.testing.FakePorts;
import dev.botshift.testing.TestPlans;
import dev.botshift.traffic.GreenGuard;
import dev.botshift.traffic.GuardTrip;
import dev.botshift.workload.Readiness;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole phase machine driven through the real {@link RolloutSession} (lock, start, runner) on in-memory fakes and
 * a fake clock.
 */
class RolloutRunnerTest {
    static final String APP = "bot";

    final FakePorts f = new FakePorts();
    final List<Runnable> between = new ArrayList<>();
    final List<RolloutEvent> events = new ArrayList<>();
    private String release;
    private boolean fresh;

    /** The next {@link #run} deploys {@code release} (as {@code botshift deploy} would); later runs resume it. */
    void deploy(String release) {
        this.release = release;
        this.fresh = true;
    }

    Outcome run(Approval approval, boolean detach) throws InterruptedException {
        RolloutListener l = (e, s) -> events.add(e);
        RolloutSession session = new RolloutSession(TestPlans.plan(APP, release, approval), f.factory(), Map.of(),
                new PrintStream(OutputStream.nullOutputStream()), f.clock,
                f.pauser(() -> new ArrayList<>(between).forEach(Runnable::run))).listener(l);
        RolloutSession.Mode mode = fresh ? RolloutSession.Mode.DEPLOY : RolloutSession.Mode.RESUME;
        fresh = false;
        return session.run(mode, null, detach ? Until.GATE : Until.FAILURE);
    }

    /** {@link #run(Approval, boolean)}, checking the outcome is of the {@code expected} kind: returned as that kind. */
    <T extends Outcome> T run(Class<T> expected, Approval approval, boolean detach) throws InterruptedException {
        Outcome o = run(approval, detach);
        assertThat(o).isInstanceOf(expected);
        return expected.cast(o);
    }

    /** v1 is stable on blue. */
    void stableV1() throws InterruptedException {
        deploy("1.0.0");
        assertThat(run(Approval.NONE, false)).isInstanceOf(Outcome.Succeeded.class);
        f.log.clear();
        f.router.history.clear();
        events.clear();
        f.schema.applied.clear();
    }

    void request(Request.Kind kind) {
        ManualCommands.append(f.store, APP, kind, "tester", f.clock.instant());
    }

    void when(Predicate<RolloutState> condition, Runnable action) {
        boolean[] done = {false};
        between.add(() -> {
            if (!done[0] && condition.test(f.store.state(APP))) {
                done[0] = true;
                action.run();
            }
        });
    }

    @Test
    void firstReleaseExpandsStartsSendsAllTrafficAndContracts() throws Exception {
        deploy("1.0.0");
        Outcome o = run(Approval.NONE, false);

        assertThat(o).isInstanceOf(Outcome.Succeeded.class);
        assertThat(o.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(f.log).containsSubsequence("schema expand", "start a 1.0.0", "weights 100/0", "schema contract");
        assertThat(f.workloads.versions).containsEntry(Slot.A, "1.0.0");
        assertThat(f.store.state(APP).phase()).isInstanceOf(Phase.Succeeded.class);
    }

    /** v1 is stable on blue, then 2.0.0 is deployed. */
    void v2AfterStableV1() throws InterruptedException {
        v2AfterStableV1(Map.of());
    }

    /** v1 is stable on blue, then 2.0.0 is deployed with each slot failing at the given rate. */
    void v2AfterStableV1(Map<Slot, Double> errorRates) throws InterruptedException {
        stableV1();
        f.metrics.errorRate.putAll(errorRates);
        deploy("2.0.0");
    }

    @Test
    void goodReleaseShiftsInStepsBakesDrainsBlueThenContracts() throws Exception {
        v2AfterStableV1(Map.of(Slot.A, 0.01, Slot.B, 0.01));
        Outcome o = run(Approval.NONE, false);

        assertThat(o).isInstanceOf(Outcome.Succeeded.class);
        assertThat(f.router.history).containsExactly(new Weights(90, 10), new Weights(75, 25), new Weights(50, 50),
                new Weights(0, 100));
        assertThat(f.log).containsSubsequence("schema expand", "start b 2.0.0", "weights 90/10", "weights 0/100",
                "stop a", "schema contract");
        assertThat(f.workloads.versions).containsOnlyKeys(Slot.B);
        RolloutState s = f.store.state(APP);
        assertThat(s.candidate()).isEqualTo(Slot.B);
        assertThat(s.history()).anyMatch(e -> e instanceof RolloutEvent.PhaseChanged p && p.reason().contains("POINT OF NO RETURN"));
    }

    @Test
    void errorSpikeRollsBackToBlueAndKeepsTheExpandedSchema() throws Exception {
        v2AfterStableV1(Map.of(Slot.A, 0.01, Slot.B, 0.30));
        Outcome.RolledBack o = run(Outcome.RolledBack.class, Approval.NONE, false);

        assertThat(o.exitCode()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(o.reason()).contains("analysis failed (").contains(" failures in a row, ");
        assertThat(f.router.weights).isEqualTo(Weights.allTo(Slot.A));
        assertThat(f.workloads.versions).containsOnlyKeys(Slot.A);
        assertThat(f.schema.applied).containsExactly(SchemaPhase.EXPAND);
        assertThat(events).anyMatch(e -> e instanceof RolloutEvent.RolledBack);
    }

    @Test
    void spikeThatStartsMidRolloutIsCaughtWithinTheFailureLimit() throws Exception {
        v2AfterStableV1();
        when(s -> s.phase() instanceof Phase.Shifting sh && sh.step() == 2,
                () -> f.metrics.errorRate.put(Slot.B, 0.25));
        Outcome o = run(Approval.NONE, false);
        assertThat(o).isInstanceOf(Outcome.RolledBack.class);
        assertThat(f.router.history).contains(new Weights(50, 50)).doesNotContain(new Weights(0, 100));
    }

    // The same spike (30 % errors, green at 10 % of 400 requests a second) read two ways; the shift opens the
    // window. Read only at ticks, the rollback comes at the window's end, a whole interval later. Looked at every
    // 100 ms, it comes once the window has its 20 green requests (minRequests) and the steep sum has crossed: half
    // an interval in.
    @Test
    void metricsReadAtTicksOnlyRollBackAtTheIntervalsEnd() throws Exception {
        assertThat(spikeToRollback(false)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void liveMetricsEndTheIntervalOnceTheSequentialTestDecides() throws Exception {
        assertThat(spikeToRollback(true)).isBetween(Duration.ofMillis(500), Duration.ofMillis(600));
        assertThat(f.store.state(APP).history()).anyMatch(e -> e instanceof RolloutEvent.RolledBack r
                && r.reason().contains("(decisive)"));
    }

    @Test
    void liveMetricsEndNoIntervalOfAHealthyGreenEarly() throws Exception {
        v2AfterStableV1(Map.of(Slot.A, 0.01, Slot.B, 0.01));
        f.metrics.live = true;
        assertThat(run(Approval.NONE, false)).isInstanceOf(Outcome.Succeeded.class);
        List<Instant> verdicts = f.store.state(APP).history().stream()
                .filter(e -> e instanceof RolloutEvent.AnalysisResult).map(RolloutEvent::at).toList();
        assertThat(verdicts).isNotEmpty().allMatch(at -> at.toEpochMilli() % 1_000 == 0);
    }

    /**
     * 2.0.0 deployed after 1.0.0 with both at 1 % and live metrics at 2,000 requests a second; {@code begin} runs once,
     * 0.6 s into an interval of a step where {@code when} holds and green has passed once. The onset's time, once
     * it came.
     */
    private Instant[] midIntervalOnset(Predicate<RolloutState> when, Runnable begin) throws InterruptedException {
        v2AfterStableV1(Map.of(Slot.A, 0.01, Slot.B, 0.01));
        f.metrics.live = true;
        f.metrics.perInterval = 2_000;
        Instant[] onset = {null};
        between.add(() -> {
            Instant now = f.clock.instant();
            RolloutState s = f.store.state(APP);
            if (onset[0] == null && when.test(s) && s.analysis().passesThisStep() > 0
                    && now.toEpochMilli() % 1_000 == 600) {
                onset[0] = now;
                begin.run();
            }
        });
        return onset;
    }

    /**
     * Both colours failing at {@code rate} from 0.6 s into an interval of the 50 % step for {@code lastsMillis} (the
     * fake clock moves by 0.1 s: the outage's last reading is the one just before {@code lastsMillis}), then at 1 %.
     */
    private Instant[] sharedOutageInTheHalfStep(double rate, long lastsMillis) throws InterruptedException {
        Instant[] onset = midIntervalOnset(s -> s.split().green() == 50, () -> {
            f.metrics.errorRate.put(Slot.A, rate);
            f.metrics.errorRate.put(Slot.B, rate);
        });
        between.add(() -> {
            if (onset[0] != null && !f.clock.instant().isBefore(onset[0].plusMillis(lastsMillis))) {
                f.metrics.errorRate.put(Slot.A, 0.01);
                f.metrics.errorRate.put(Slot.B, 0.01);
            }
        });
        return onset;
    }

    // A spike that begins 0.6 s into an interval, after a clean start (green at 10 % of 2,000 requests a second: 20 a
    // look, 3 of them errors once the spike begins).
    // The looks walk the sequential test from look to look, so the clean half does not weigh against the spike: the
    // look that crosses ends the interval, and the tick at that instant rolls back on the same walk (judged whole, the
    // clean half would hide the spike from that tick, and the interval would run on).
    @Test
    void aSpikeThatBeginsMidIntervalIsJudgedOnTheIntervalsLooks() throws Exception {
        Instant[] onset = midIntervalOnset(s -> s.analysis().lastGreen() != null,
                () -> f.metrics.errorRate.put(Slot.B, 0.15));
        run(Outcome.RolledBack.class, Approval.NONE, false);
        Instant rolledBack = f.store.state(APP).history().stream().filter(e -> e instanceof RolloutEvent.PhaseChanged p
                && p.to() instanceof Phase.RollingBack).map(RolloutEvent::at).findFirst().orElseThrow();
        assertThat(onset[0]).isNotNull();
        assertThat(rolledBack).as("at a look, before the end of the interval the spike began in")
                .isBefore(onset[0].truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1));
        assertThat(f.store.state(APP).history()).anyMatch(e -> e instanceof RolloutEvent.RolledBack r
                && r.reason().contains("(decisive)"));
        assertThat(f.metrics.reads).as("the tick decides on the readings of the look that decided: read once")
                .filteredOn(r -> r.getKey() == Slot.B && r.getValue().equals(rolledBack)).hasSize(1);
    }

    // A shared outage (both colours at 10 %) that begins 0.6 s into an interval of the 50 % step (1,000 requests a
    // second each), after 600 healthy answers of blue: over the interval so far blue is not yet failing (2.3 %), while
    // green's sums, held to blue in normal service, cross on its first look (without blue's looks: rolled back 100 ms
    // after the onset, "green 3.6% of 700, blue 1.4% of 16700 ... (decisive)"). Blue's looks show the outage in its
    // latest 100 answers: nothing rolls back, and once the outage ends the rollout completes.
    @Test
    void aSharedOutageThatBeginsMidIntervalRollsNothingBack() throws Exception {
        Instant[] onset = sharedOutageInTheHalfStep(0.10, 2_500);
        run(Outcome.Succeeded.class, Approval.NONE, false);
        assertThat(onset[0]).isNotNull();
        assertThat(f.store.state(APP).history()).anyMatch(e -> e instanceof RolloutEvent.AnalysisResult r
                && r.reason().contains("blue is failing too"));
    }

    // A shared outage (both colours at 30 %) that ends 0.1 s into an interval of the 50 % step (1,000 requests a second
    // each): the interval's first look is all outage (blue 30 errors of 100: failing by itself), and the healthy
    // answers since dilute it over the interval, whose latest part is healthy too. Walked against blue in normal
    // service, green's first stretch (30 errors in 100, the same outage's) crossed its sums as soon as blue no longer
    // failed over the interval: the sound release rolled back 0.5 s after the outage ended ("green 5.8% of 600, blue
    // 1.5% of 16600 ... (so clear that it counts as 2 failures); sequential test 24.2 >= 11.1 ... (decisive)"). Blue's
    // failing look now makes the whole interval a shared cause's.
    @Test
    void aSharedOutageThatEndsEarlyInAnIntervalRollsNothingBack() throws Exception {
        Instant[] onset = sharedOutageInTheHalfStep(0.30, 2_600);
        run(Outcome.Succeeded.class, Approval.NONE, false);
        assertThat(onset[0]).isNotNull();
    }

    // A shared outage of about a second in an interval read once (as from Prometheus): in one interval of the 25 %
    // step both colours err at 4.3 % (blue 3,000 requests, green 1,000), under maxErrorRate but above the limit blue's
    // pool gives green (3.2 %). Judged against that pool, green's 4.3 % rolled the sound release back at once ("green
    // 4.3% of 1000, blue 1.2% of 42000, limit 3.2%; ... sequential test 21.8 >= 8.3 ... (decisive)"); blue failing
    // green's own limit over the same interval is a shared cause.
    @Test
    void aShortSharedOutageInAnIntervalReadOnceRollsNothingBack() throws Exception {
        v2AfterStableV1(Map.of(Slot.A, 0.01, Slot.B, 0.01));
        f.metrics.perInterval = 4_000;
        Instant[] began = {null};
        between.add(() -> {
            Instant now = f.clock.instant();
            if (began[0] == null && f.store.state(APP).split().green() == 25
                    && f.store.state(APP).analysis().passesThisStep() > 0) {
                began[0] = now;
                f.metrics.errorRate.put(Slot.A, 0.043);
                f.metrics.errorRate.put(Slot.B, 0.043);
            } else if (began[0] != null && now.isAfter(began[0])) {
                f.metrics.errorRate.put(Slot.A, 0.01);
                f.metrics.errorRate.put(Slot.B, 0.01);
            }
        });
        run(Outcome.Succeeded.class, Approval.NONE, false);
        assertThat(began[0]).isNotNull();
        assertThat(f.store.state(APP).history()).anyMatch(e -> e instanceof RolloutEvent.AnalysisResult r
                && r.reason().startsWith("blue is failing too (green 4.3% of 1000, blue 4.3% of 3000"));
    }

    /** From green's first traffic to the rollback of a green failing 30 % from the start, read live or not. */
    private Duration spikeToRollback(boolean live) throws InterruptedException {
        v2AfterStableV1(Map.of(Slot.A, 0.01, Slot.B, 0.30));
        f.metrics.live = live;
        run(Outcome.RolledBack.class, Approval.NONE, false);
        List<RolloutEvent> h = f.store.state(APP).history();
        Instant shifted = h.stream().filter(e -> e instanceof RolloutEvent.TrafficShifted t && t.split().green() > 0)
                .map(RolloutEvent::at).reduce((a, b) -> b).orElseThrow();
        Instant rolledBack = h.stream().filter(e -> e instanceof RolloutEvent.PhaseChanged p
                && p.to() instanceof Phase.RollingBack).map(RolloutEvent::at).reduce((a, b) -> b).orElseThrow();
        return Duration.between(shifted, rolledBack);
    }

    @Test
    void greenThatNeverGetsReadyIsRolledBackAfterTheProgressDeadline() throws Exception {
        stableV1();
        f.workloads.readinessOverride.put(Slot.B, new Readiness.Progressing(0, 2));
        deploy("2.0.0");
        Outcome.RolledBack o = run(Outcome.RolledBack.class, Approval.NONE, false);

        assertThat(o.reason()).contains("not ready after 30s");
        assertThat(f.router.history).allMatch(w -> w.b() == 0);
        assertThat(f.workloads.versions).containsOnlyKeys(Slot.A);
    }

    @Test
    void greenIsShiftedToOnceReadyNotAnAnalysisIntervalLater() throws Exception {
        stableV1();
        f.workloads.readinessOverride.put(Slot.B, new Readiness.Progressing(0, 2));
        between.add(() -> { // green answers its health checks 0.2 s after its start
            Instant started = f.workloads.startedAt.get(Slot.B);
            if (started != null && !f.clock.instant().isBefore(started.plusMillis(200))) {
                f.workloads.readinessOverride.remove(Slot.B);
            }
        });
        deploy("2.0.0");
        run(Outcome.Succeeded.class, Approval.NONE, false);

        List<RolloutEvent> h = f.store.state(APP).history();
        Instant greenUp = f.workloads.startedAt.get(Slot.B);
        Instant firstShift = h.stream().filter(e -> e instanceof RolloutEvent.TrafficShifted t && t.split().green() > 0)
                .map(RolloutEvent::at).findFirst().orElseThrow();
        assertThat(Duration.between(greenUp, firstShift)).as("the plan's interval is 1 s; readiness is looked at every %s",
                RolloutRunner.READINESS_LOOK).isLessThanOrEqualTo(RolloutRunner.READINESS_LOOK);
    }

    @Test
    void whatThePlatformRepairedIsRecordedBeforeTheDecisionItPreceded() throws Exception {
        stableV1();
        between.add(() -> {
            if (f.workloads.versions.containsKey(Slot.B) && !(f.workloads.readiness(Slot.B) instanceof Readiness.Failed)) {
                f.repairs.add(new Repairs.Repair(f.clock.instant(), Slot.A, "1.0.0 #1 died: replaced"));
                f.workloads.readinessOverride.put(Slot.B, new Readiness.Failed("2.0.0 #0 exited with code 1"));
            }
        });
        deploy("2.0.0");
        run(Outcome.RolledBack.class, Approval.NONE, false);

        List<RolloutEvent> h = f.store.state(APP).history();
        int repaired = h.indexOf(h.stream().filter(e -> e instanceof RolloutEvent.DataPlaneRepaired).findFirst().orElseThrow());
        int rollingBack = h.indexOf(h.stream().filter(e -> e instanceof RolloutEvent.PhaseChanged p
                && p.to() instanceof Phase.RollingBack).findFirst().orElseThrow());
        assertThat(h.get(repaired).toString()).contains("blue: 1.0.0 #1 died");
        assertThat(repaired).as("in the order it happened: %s", h).isLessThan(rollingBack);
        assertThat(h).map(RolloutEvent::at).isSorted();
    }

    @Test
    void greenThatCannotStartIsRolledBack() throws Exception {
        stableV1();
        f.workloads.failStart = new IllegalStateException("no such command");
        deploy("2.0.0");
        assertThat(run(Approval.NONE, false)).isInstanceOf(Outcome.RolledBack.class);
    }

    @Test
    void abortWhileShiftingRollsBack() throws Exception {
        v2AfterStableV1();
        when(s -> s.phase() instanceof Phase.Shifting sh && sh.step() == 1, () -> request(Request.Kind.ABORT));
        Outcome.RolledBack o = run(Outcome.RolledBack.class, Approval.NONE, false);
        assertThat(o.reason()).isEqualTo("aborted by tester");
    }

    @Test
    void abortAfterTheContractStartedIsRefusedAndTheRolloutFinishes() throws Exception {
        v2AfterStableV1();
        f.schema.failPhase = SchemaPhase.CONTRACT;
        f.schema.failOn = new IllegalStateException("disk full");
        Outcome first = run(Approval.NONE, false);
        assertThat(first).isInstanceOf(Outcome.Failed.class);
        assertThat(f.store.state(APP).phase().pastPointOfNoReturn()).isTrue();

        request(Request.Kind.ABORT);
        request(Request.Kind.RESUME);
        Outcome o = run(Approval.NONE, false);
        assertThat(o).isInstanceOf(Outcome.Succeeded.class);
        assertThat(f.store.state(APP).history()).anyMatch(e -> e instanceof RolloutEvent.CommandRefused r
                && r.command() == Request.Kind.ABORT && r.why().contains("contract has started"));
    }

    @Test
    void approvalGateStopsADetachedDeployAndPromoteCarriesOn() throws Exception {
        v2AfterStableV1();
        Outcome waiting = run(Approval.BEFORE_CONTRACT, true);
        assertThat(waiting).isInstanceOf(Outcome.Waiting.class);
        assertThat(waiting.exitCode()).isEqualTo(ExitCode.WAITING_AT_GATE);
        assertThat(f.schema.applied).doesNotContain(SchemaPhase.CONTRACT);
        assertThat(f.workloads.versions).containsKeys(Slot.A, Slot.B);

        request(Request.Kind.PROMOTE);
        assertThat(run(Approval.BEFORE_CONTRACT, true)).isInstanceOf(Outcome.Succeeded.class);
        assertThat(f.schema.applied).contains(SchemaPhase.CONTRACT);
    }

    @Test
    void everyStepGateWaitsBeforeEachStep() throws Exception {
        v2AfterStableV1();
        int gates = 0;
        Outcome o;
        while ((o = run(Approval.EVERY_STEP, true)) instanceof Outcome.Waiting) {
            gates++;
            request(Request.Kind.PROMOTE);
        }
        assertThat(o).isInstanceOf(Outcome.Succeeded.class);
        assertThat(gates).isEqualTo(5); // four steps and the contract
    }

    @Test
    void promoteFullSkipsTheRemainingStepsButStillBakes() throws Exception {
        v2AfterStableV1();
        when(s -> s.phase() instanceof Phase.Shifting, () -> request(Request.Kind.PROMOTE_FULL));
        assertThat(run(Approval.NONE, false)).isInstanceOf(Outcome.Succeeded.class);
        assertThat(f.router.history).containsExactly(new Weights(90, 10), new Weights(0, 100));
        assertThat(f.store.state(APP).history()).anyMatch(e -> e instanceof RolloutEvent.PhaseChanged p
                && p.to() instanceof Phase.Baking);
    }

    @Test
    void aCutByTheRoutersGuardIsRolledBackForItsReasonAndNeverCorrectedBackToGreen() throws Exception {
        v2AfterStableV1(Map.of(Slot.A, 0.01, Slot.B, 0.01));
        GuardTrip trip = new GuardTrip(f.clock.instant(), 150, 20, 13.9, 0.01, 0.03, GreenGuard.THRESHOLD);
        when(s -> s.phase() instanceof Phase.Shifting sh && sh.step() == 1, () -> {
            assertThat(f.router.guard).as("armed at every step").isNotNull();
            f.router.trip(trip);
        });
        Outcome.RolledBack o = run(Outcome.RolledBack.class, Approval.NONE, false);

        assertThat(o.exitCode()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(o.reason()).contains("the router's guard cut green to 0%");
        assertThat(f.router.history).as("the router's cut stands; no green again")
                .containsExactly(new Weights(90, 10), new Weights(75, 25), Weights.allTo(Slot.A));
        assertThat(f.workloads.versions).containsOnlyKeys(Slot.A);
        assertThat(o.state().history()).anyMatch(e -> e instanceof RolloutEvent.GuardTripped g && g.trip().equals(trip))
                .noneMatch(e -> e instanceof RolloutEvent.SplitCorrected || e instanceof RolloutEvent.EffectFailed);
    }

    @Test
    void aCutWhileNothingDrivesTheRolloutIsRolledBackByTheNextRunnerWithoutSettingGreenAgain() throws Exception {
        v2AfterStableV1(Map.of(Slot.A, 0.01, Slot.B, 0.01));
        Outcome.Waiting gate = run(Outcome.Waiting.class, Approval.EVERY_STEP, true);
        request(Request.Kind.PROMOTE);
        assertThat(run(Outcome.Waiting.class, Approval.EVERY_STEP, true).what()).contains("step 2");
        assertThat(f.router.weights).isEqualTo(new Weights(90, 10));

        f.router.trip(new GuardTrip(f.clock.instant(), 150, 20, 13.9, 0.01, 0.03, GreenGuard.THRESHOLD)); // no runner
        // as the supervisor runs it: on through gates
        Outcome.RolledBack o = run(Outcome.RolledBack.class, Approval.EVERY_STEP, false);
        assertThat(o.reason()).contains("the router's guard cut green");
        assertThat(f.router.history).endsWith(new Weights(90, 10), Weights.allTo(Slot.A));
        assertThat(f.log).as("green never set again").endsWith("guard tripped", "weights 100/0", "stop b");
        assertThat(gate.what()).contains("step 1");
    }

    @Test
    void missingMetricsPauseTheRolloutAndNeverPromote() throws Exception {
        v2AfterStableV1();
        when(s -> s.phase() instanceof Phase.Shifting sh && sh.step() == 1,
                () -> f.metrics.override = new Observation.Unreachable("connection refused"));
        Outcome o = run(Approval.NONE, true);
        assertThat(o).isInstanceOf(Outcome.Waiting.class);
        assertThat(f.store.state(APP).phase()).isInstanceOf(Phase.Paused.class);
        assertThat(f.router.weights).isEqualTo(new Weights(75, 25));

        f.metrics.override = null;
        request(Request.Kind.RESUME);
        assertThat(run(Approval.NONE, true)).isInstanceOf(Outcome.Succeeded.class);
    }

    @Test
    void blueFailingTooIsNotBlamedOnGreen() throws Exception {
        v2AfterStableV1(Map.of(Slot.A, 0.5, Slot.B, 0.5));
        Outcome.Waiting o = run(Outcome.Waiting.class, Approval.NONE, true);
        assertThat(o.what()).contains("blue is failing too");
    }

    @Test
    void routerHiccupsAreRetried() throws Exception {
        v2AfterStableV1();
        when(s -> s.phase() instanceof Phase.Shifting sh && sh.step() == 0, () -> f.router.failuresLeft = 2);
        assertThat(run(Approval.NONE, false)).isInstanceOf(Outcome.Succeeded.class);
        assertThat(f.store.state(APP).history()).anyMatch(e -> e instanceof RolloutEvent.EffectFailed);
    }

    @Test
    void expandFailureStopsForAHumanAndResumeCompletes() throws Exception {
        stableV1();
        f.schema.failPhase = SchemaPhase.EXPAND;
        f.schema.failOn = new IllegalStateException("connection lost");
        deploy("2.0.0");
        Outcome o = run(Approval.NONE, false);
        assertThat(o).isInstanceOf(Outcome.Failed.class);
        assertThat(f.workloads.versions).containsOnlyKeys(Slot.A);
        request(Request.Kind.RESUME);
        assertThat(run(Approval.NONE, false)).isInstanceOf(Outcome.Succeeded.class);
    }

    @Test
    void retryAfterRollbackIsAFreshAttempt() throws Exception {
        stableV1();
        f.metrics.errorRate.put(Slot.B, 0.5);
        deploy("2.0.0");
        assertThat(run(Approval.NONE, false)).isInstanceOf(Outcome.RolledBack.class);
        f.metrics.errorRate.put(Slot.B, 0.0);
        deploy("2.0.0");
        assertThat(run(Approval.NONE, false)).isInstanceOf(Outcome.Succeeded.class);
        assertThat(f.store.state(APP).attempt()).isEqualTo(2);
    }

    /** The deploy process dies right after it persisted {@code phase}; a new runner finishes the rollout. */
    @ParameterizedTest
    @ValueSource(strings = {"EXPANDING", "DEPLOYING_GREEN", "SHIFTING", "BAKING", "DRAINING_BLUE", "CONTRACTING",
            "TEARING_DOWN"})
    void resumesFromEveryPersistedPhase(String phase) throws Exception {
        v2AfterStableV1();
        f.store.crashAfterWriting = json -> RolloutStateCodec.decode(json).phase().code().equals(phase);
        assertThatThrownBy(() -> run(Approval.NONE, false)).isInstanceOf(FakePorts.Crash.class);
        assertThat(f.store.state(APP).phase().code()).isEqualTo(phase);

        f.store.crashAfterWriting = null;
        assertThat(f.store.locks).as("a crash in the loop still releases the lock (the session closes it)").isEmpty();
        assertThat(run(Approval.NONE, false)).isInstanceOf(Outcome.Succeeded.class);
        assertThat(f.workloads.versions).containsOnlyKeys(Slot.B);
        assertThat(f.schema.applied).contains(SchemaPhase.EXPAND, SchemaPhase.CONTRACT);
        assertThat(f.router.weights).isEqualTo(Weights.allTo(Slot.B));
    }

    /** A rehearsal scripted by the test: counts when recording starts, answers {@code result}. */
    static final class ScriptedRehearsal implements dev.botshift.schema.ContractRehearsal {
        final List<String> calls = new ArrayList<>();
        dev.botshift.schema.RehearsalResult result;

        ScriptedRehearsal(dev.botshift.schema.RehearsalResult result) {
            this.result = result;
        }

        public java.util.Optional<String> unavailable() {
            return java.util.Optional.empty();
        }

        public java.util.Optional<dev.botshift.schema.RecordingStart> startRecording() {
            if (calls.contains("record")) {
                return java.util.Optional.empty();
            }
            calls.add("record");
            return java.util.Optional.of(new dev.botshift.schema.RecordingStart(true, "recording"));
        }

        public dev.botshift.schema.RehearsalResult rehearse() {
            calls.add("rehearse");
            return result;
        }
    }

    @Test
    void aRefusedContractRehearsalHoldsWithBothVersionsRunningAndAbortBringsBlueBack() throws Exception {
        stableV1();
        ScriptedRehearsal rehearsal = new ScriptedRehearsal(new dev.botshift.schema.RehearsalResult.Refused(List.of(
                new dev.botshift.schema.RehearsalResult.Broken("SELECT max(created_at) FROM messages",
                        "ERROR: column \"created_at\" does not exist (SQLSTATE 42703)")), 2));
        f.schema.rehearsal = rehearsal;
        deploy("2.0.0");

        Outcome held = run(Approval.NONE, false);

        assertThat(held).isInstanceOf(Outcome.Failed.class);
        assertThat(held.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(rehearsal.calls).containsExactly("record", "rehearse");
        assertThat(f.schema.applied).containsExactly(SchemaPhase.EXPAND);
        assertThat(f.workloads.versions).as("blue and green both still run").containsKeys(Slot.A, Slot.B);
        assertThat(f.log).doesNotContain("stop a");
        RolloutState s = f.store.state(APP);
        assertThat(s.phase().rollbackable()).isTrue();
        assertThat(s.history()).anyMatch(e -> e instanceof RolloutEvent.StatementsRecording r && r.recording());
        assertThat(s.history()).anyMatch(e -> e instanceof RolloutEvent.ContractRehearsed r
                && r.describe().contains("max(created_at)") && r.describe().contains("does not exist"));
        // the recording started once green had all traffic, not before
        int recorded = indexOf(s, RolloutEvent.StatementsRecording.class);
        assertThat(s.history().subList(0, recorded)).anyMatch(e -> e instanceof RolloutEvent.TrafficShifted t
                && t.split().green() == 100);

        request(Request.Kind.ABORT);
        Outcome o = run(Approval.NONE, false);
        assertThat(o).isInstanceOf(Outcome.RolledBack.class);
        assertThat(f.workloads.versions).containsOnlyKeys(Slot.A);
        assertThat(f.schema.applied).doesNotContain(SchemaPhase.CONTRACT);
    }

    @Test
    void aPassedRehearsalLetsTheContractRun() throws Exception {
        stableV1();
        ScriptedRehearsal rehearsal = new ScriptedRehearsal(new dev.botshift.schema.RehearsalResult.Passed(3, 0, 0, 10));
        f.schema.rehearsal = rehearsal;
        deploy("2.0.0");
        assertThat(run(Approval.NONE, false)).isInstanceOf(Outcome.Succeeded.class);
        assertThat(rehearsal.calls).containsExactly("record", "rehearse");
        assertThat(f.log).containsSubsequence("stop a", "schema contract");
    }

    private static int indexOf(RolloutState s, Class<? extends RolloutEvent> type) {
        for (int i = 0; i < s.history().size(); i++) {
            if (type.isInstance(s.history().get(i))) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in the history");
    }

    /** An expand rehearsal scripted by the test: answers {@code result}, or throws {@code failure} once. */
    static final class ScriptedExpandRehearsal implements dev.botshift.schema.ExpandRehearsal {
        int calls;
        dev.botshift.schema.RehearsalResult result;
        RuntimeException failure;

        ScriptedExpandRehearsal(dev.botshift.schema.RehearsalResult result) {
            this.result = result;
        }

        public java.util.Optional<String> unavailable() {
            return java.util.Optional.empty();
        }

        public dev.botshift.schema.RehearsalResult rehearse() {
            calls++;
            if (failure != null) {
                RuntimeException e = failure;
                failure = null;
                throw e;
            }
            return result;
        }
    }

    static final dev.botshift.schema.RehearsalResult AMBIGUOUS = new dev.botshift.schema.RehearsalResult.Refused(
            List.of(new dev.botshift.schema.RehearsalResult.Broken("SELECT id FROM messages JOIN chats USING (chat_id)",
                    "ERROR: column reference \"id\" is ambiguous (SQLSTATE 42702)")), 3);

    @Test
    void aRefusedExpandRehearsalEndsTheRolloutBeforeAnyChangesetRunsAndADeployAfterTheFixIsAFreshAttempt()
            throws Exception {
        stableV1();
        ScriptedExpandRehearsal rehearsal = new ScriptedExpandRehearsal(AMBIGUOUS);
        f.schema.expandRehearsal = rehearsal;
        deploy("2.0.0");

        Outcome.RolledBack o = run(Outcome.RolledBack.class, Approval.NONE, false);

        assertThat(o.exitCode()).as("as a refused changeset").isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(o.reason()).contains("expand refused by the rehearsal: blue runs `SELECT id",
                "which fails on the expanded schema", "42702");
        assertThat(rehearsal.calls).isEqualTo(1);
        assertThat(f.schema.applied).as("no expand changeset ran").isEmpty();
        assertThat(f.log).as("blue untouched: nothing started, stopped or shifted").containsExactly("expand rehearsal");
        assertThat(f.workloads.versions).containsOnly(java.util.Map.entry(Slot.A, "1.0.0"));
        assertThat(f.store.state(APP).history()).anyMatch(e -> e instanceof RolloutEvent.ExpandRehearsed r
                && r.result() instanceof dev.botshift.schema.RehearsalResult.Refused);

        rehearsal.result = new dev.botshift.schema.RehearsalResult.Passed(3, 0, 0, -1); // the release was fixed
        deploy("2.0.0");
        assertThat(run(Approval.NONE, false)).isInstanceOf(Outcome.Succeeded.class);
        assertThat(f.store.state(APP).attempt()).isEqualTo(2);
        assertThat(f.log).containsSubsequence("expand rehearsal", "expand rehearsal", "schema expand", "start b 2.0.0");
    }

    @Test
    void aPassedExpandRehearsalRunsFirstThenTheExpand() throws Exception {
        stableV1();
        ScriptedExpandRehearsal rehearsal = new ScriptedExpandRehearsal(
                new dev.botshift.schema.RehearsalResult.Passed(3, 1, 0, 120));
        f.schema.expandRehearsal = rehearsal;
        deploy("2.0.0");
        assertThat(run(Approval.NONE, false)).isInstanceOf(Outcome.Succeeded.class);
        assertThat(rehearsal.calls).isEqualTo(1);
        assertThat(f.log.subList(0, 2)).containsExactly("expand rehearsal", "schema expand");
        assertThat(f.store.state(APP).history()).anyMatch(e -> e instanceof RolloutEvent.ExpandRehearsed r
                && r.describe().startsWith("expand rehearsal passed: 3 statement(s) blue ran"));
    }

    @Test
    void aCrashAfterTheRehearsalWasStoredDoesNotRunItAgain() throws Exception {
        stableV1();
        ScriptedExpandRehearsal rehearsal = new ScriptedExpandRehearsal(
                new dev.botshift.schema.RehearsalResult.Passed(3, 0, 0, -1));
        f.schema.expandRehearsal = rehearsal;
        deploy("2.0.0");
        f.store.crashAfterWriting = json -> RolloutStateCodec.decode(json).history().stream()
                .anyMatch(e -> e instanceof RolloutEvent.ExpandRehearsed);
        assertThatThrownBy(() -> run(Approval.NONE, false)).isInstanceOf(FakePorts.Crash.class);
        assertThat(f.schema.applied).isEmpty();

        f.store.crashAfterWriting = null;
        assertThat(run(Approval.NONE, false)).isInstanceOf(Outcome.Succeeded.class);
        assertThat(rehearsal.calls).as("its stored result stands").isEqualTo(1);
        assertThat(f.schema.applied).contains(SchemaPhase.EXPAND);
    }

    @Test
    void anExpandRehearsalThatCannotRunStopsForAHumanAndResumeRehearsesAgain() throws Exception {
        stableV1();
        ScriptedExpandRehearsal rehearsal = new ScriptedExpandRehearsal(
                new dev.botshift.schema.RehearsalResult.Passed(3, 0, 0, -1));
        rehearsal.failure = new IllegalStateException("lock_timeout expired");
        f.schema.expandRehearsal = rehearsal;
        deploy("2.0.0");
        Outcome.Failed o = run(Outcome.Failed.class, Approval.NONE, false);
        assertThat(o.reason()).contains("expand rehearsal could not run", "lock_timeout");
        assertThat(f.schema.applied).isEmpty();
        assertThat(f.workloads.versions).containsOnlyKeys(Slot.A);

        request(Request.Kind.RESUME);
        assertThat(run(Approval.NONE, false)).isInstanceOf(Outcome.Succeeded.class);
        assertThat(rehearsal.calls).isEqualTo(2);
    }
}
