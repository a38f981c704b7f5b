package dev.botshift.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.analysis.Counts;
import dev.botshift.analysis.JudgeSettings;
import dev.botshift.analysis.Observation;
import dev.botshift.analysis.Verdict;
import dev.botshift.core.Slot;
import dev.botshift.core.Split;
import dev.botshift.core.Weights;
import dev.botshift.plan.Approval;
import dev.botshift.rollout.Effect.SetSplit;
import dev.botshift.rollout.Effect.StopSlot;
import dev.botshift.traffic.WeightCheck;
import dev.botshift.workload.Readiness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The pure decider, one branch at a time: a state and an observation in, a decision out. No ports, no clock. */
class DeciderTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Counts QUIET = new Counts(0, 0);

    final Decider decider = new Decider(settings(Approval.NONE, 2, 5));

    static RolloutSettings settings(Approval approval, int failureLimit, int cumulativeLimit) {
        return new RolloutSettings(List.of(10, 25, 50, 100), Duration.ofSeconds(10), Duration.ofSeconds(10), approval,
                Duration.ofSeconds(30), Duration.ofSeconds(1), 2, new JudgeSettings(0.05, 0.02, 20), failureLimit,
                cumulativeLimit, 5, Duration.ofSeconds(60));
    }

    /** 2.0.0 rolling out in the green slot, replacing 1.0.0 in the blue slot, now in {@code phase}. */
    static RolloutState at(Phase phase, Split split) {
        RolloutState s = RolloutState.begin("bot", "2.0.0", "run", 1, "/plan.yaml", Slot.A, "1.0.0", null, T0);
        return s.withPhase(phase, T0, "test").withSplit(split, T0);
    }

    static RolloutState firstRelease(Phase phase) {
        return RolloutState.begin("bot", "1.0.0", "run", 1, "/plan.yaml", null, null, null, T0).withPhase(phase, T0, "test");
    }

    static Snapshot serving(Instant now, Counts blue, Counts green, WeightCheck split) {
        return new Snapshot(now, null, 0, new Observation.Measured(blue), new Observation.Measured(green), split);
    }

    static RolloutState request(RolloutState s, Request.Kind kind) {
        return s.withRequests(List.of(new Request(UUID.randomUUID().toString(), kind, "tester", T0)));
    }

    /** Feeds {@code intervals} windows of 100 requests each: blue at 1 %, green at {@code greenRate}. */
    Decision judge(RolloutState s, double greenRate, int intervals) {
        return judgeIncomplete(s, greenRate, intervals, false, false);
    }

    /**
     * Green's bots no longer answer {@code /metrics} (an overloaded green's times out): the router's counts with the
     * bots' errors as last read are a lower bound. Green failing on them is rolled back (it was paused for a human
     * after 20 verdicts that could not be read, green keeping its traffic); green passing on them is not passed.
     */
    @Test
    void greenWhoseBotErrorsCannotBeReadIsRolledBackOnWhatCanButNeverPassed() {
        Decision failing = judgeIncomplete(at(new Phase.Shifting(2), Split.green(50)), 0.2, 10, true, false);
        assertThat(failing.next().phase()).isInstanceOf(Phase.RollingBack.class);

        RolloutState s = at(new Phase.Shifting(2), Split.green(50));
        Decision healthy = judgeIncomplete(s, 0.01, 5, true, false);
        assertThat(healthy.next().phase()).as("no step passed on a lower bound: paused after 5 such verdicts")
                .isEqualTo(new Phase.Paused(new Phase.Shifting(2), "5 inconclusive verdicts in a row, last: metrics "
                        + "partly unreachable: bot metrics: timed out; green's errors read so far can fail it, not pass "
                        + "it (green 1.0% of 100, blue 1.0% of 500, limit 3.1%)"));
        assertThat(healthy.next().history()).filteredOn(RolloutEvent.AnalysisResult.class::isInstance)
                .map(e -> (RolloutEvent.AnalysisResult) e).isNotEmpty()
                .noneMatch(r -> r.verdict() == dev.botshift.analysis.Verdict.Kind.PASS)
                .anySatisfy(r -> assertThat(r.reason()).startsWith("metrics partly unreachable: bot metrics: timed out"));
    }

    /** Blue's errors read in part would lower the baseline green is held to: that window of blue is left out. */
    @Test
    void blueWhoseBotErrorsCannotBeReadIsNoBaseline() {
        // blue as read: no errors at all (its 1 % unread), green at 3 %: held to that blue green would fail
        Decision d = judgeIncomplete(at(new Phase.Shifting(2), Split.green(50)), 0.03, 5, false, true);
        assertThat(d.next().phase()).isNotInstanceOf(Phase.RollingBack.class);
        assertThat(d.next().history()).filteredOn(RolloutEvent.AnalysisResult.class::isInstance)
                .map(e -> (RolloutEvent.AnalysisResult) e)
                .noneMatch(r -> r.verdict() == dev.botshift.analysis.Verdict.Kind.FAIL);
    }

    /**
     * Feeds windows as {@link #judge} does; each reading of green (or blue) incomplete when asked: the bots' errors
     * unread ({@code blue}'s 1 % then shows as 0).
     */
    private Decision judgeIncomplete(RolloutState s, double greenRate, int intervals, boolean greenIncomplete,
                                     boolean blueIncomplete) {
        Decision d = null;
        Counts blue = QUIET;
        Counts green = QUIET;
        for (int i = 0; i <= intervals; i++) {
            Observation b = blueIncomplete ? new Observation.Measured(new Counts(blue.requests(), 0), "bot metrics: timed out")
                    : new Observation.Measured(blue);
            Observation g = greenIncomplete ? new Observation.Measured(green, "bot metrics: timed out")
                    : new Observation.Measured(green);
            d = decider.decide(s, new Snapshot(T0.plusSeconds(i + 1), null, 0, b, g, new WeightCheck.Matches()));
            if (!(d.next().phase().equals(s.phase()))) {
                return d;
            }
            s = d.next();
            blue = blue.plus(new Counts(100, 1));
            green = green.plus(new Counts(100, Math.round(100 * greenRate)));
        }
        return d;
    }

    @ParameterizedTest
    @EnumSource(value = Request.Kind.class, names = {"PAUSE"})
    void pauseHoldsTheSplitAndKeepsWhereToResume(Request.Kind pause) {
        RolloutState s = request(at(new Phase.Shifting(1), Split.green(25)), pause);
        Decision d = decider.decide(s, serving(T0.plusSeconds(1), QUIET, QUIET, new WeightCheck.Matches()));
        assertThat(d.next().phase()).isEqualTo(new Phase.Paused(new Phase.Shifting(1), "paused by tester"));
        assertThat(d.effects()).isEmpty();
        assertThat(d.next().split()).isEqualTo(Split.green(25));
    }

    @Test
    void pauseIsRefusedOnceTheRolloutIsDraining() {
        assertRefused(new Phase.DrainingBlue(), Request.Kind.PAUSE, "only a waiting rollout can be paused");
    }

    @Test
    void promoteDuringTheBakeIsRefusedBecauseTheBakeIsASafetyCondition() {
        assertRefused(new Phase.Baking(), Request.Kind.PROMOTE, "cannot be skipped");
    }

    /** {@code kind} handed in at {@code phase} (green has all traffic) is refused: the phase stays, the why is told. */
    private void assertRefused(Phase phase, Request.Kind kind, String why) {
        Decision d = decider.decide(request(at(phase, Split.allToGreen()), kind),
                serving(T0, QUIET, QUIET, new WeightCheck.Matches()));
        assertThat(d.next().phase()).isInstanceOf(phase.getClass());
        assertThat(d.next().history()).last().isInstanceOfSatisfying(RolloutEvent.CommandRefused.class,
                r -> assertThat(r.why()).contains(why));
    }

    @Test
    void threeFailedEffectsInARowStopTheRolloutForAHuman() {
        RolloutState s = at(new Phase.Shifting(0), Split.green(10));
        Effect set = new SetSplit(Split.green(10), null);
        for (int i = 0; i < Decider.EFFECT_RETRIES - 1; i++) {
            s = decider.effectFailed(s, set, "router unreachable", T0).next();
            assertThat(s.phase()).as("failure %d is retried", i + 1).isInstanceOf(Phase.Shifting.class);
        }
        Decision d = decider.effectFailed(s, set, "router unreachable", T0);
        assertThat(d.next().phase()).isInstanceOfSatisfying(Phase.Failed.class, f -> {
            assertThat(f.reason()).contains("failed 3 times", "router unreachable");
            assertThat(f.resumeTo()).isEqualTo(new Phase.Shifting(0));
        });
    }

    @Test
    void failuresThatNeverComeTwoInARowStillRollBackAtTheCumulativeLimit() {
        // a bad interval (5 of 40), then a long clean one that takes the sequential test back to 0: never two failures
        // in a row, and never a decisive sum
        Shifted shifted = shiftUntilRollback(new Decider(settings(Approval.NONE, 100, 3)),
                i -> i % 2 == 1 ? new Counts(40, 5) : new Counts(1000, 0));
        assertThat(shifted.state().phase()).isInstanceOfSatisfying(Phase.RollingBack.class,
                r -> assertThat(r.reason()).contains("in all"));
        assertThat(shifted.state().analysis().failures().inAll()).isGreaterThanOrEqualTo(3);
        assertThat(shifted.state().analysis().failures().decisive()).isFalse();
    }

    @Test
    void aRiseTheSequentialTestProvesRollsBackAtOnceWhateverTheFailureLimit() {
        // 5 % against a 3 % limit: no single interval proves it
        Shifted shifted = shiftUntilRollback(new Decider(settings(Approval.NONE, 100, 100)), i -> new Counts(100, 5));
        assertThat(shifted.state().phase()).isInstanceOfSatisfying(Phase.RollingBack.class,
                r -> assertThat(r.reason()).contains("the sequential test is decisive", "(decisive)"));
        assertThat(shifted.intervals()).as("intervals to the rollback").isBetween(2, 6);
        assertThat(shifted.state().analysis().failures().inAll()).as("far below the limit of 100").isLessThan(6);
    }

    record Shifted(RolloutState state, int intervals) {
    }

    /** Green at 10 %, blue erring 1 %, green's interval i as given, until a rollback (20 intervals at most). */
    private static Shifted shiftUntilRollback(Decider decider, java.util.function.IntFunction<Counts> greenInterval) {
        Counts blue = QUIET;
        Counts green = QUIET;
        Decision d = decider.decide(at(new Phase.Shifting(0), Split.green(10)),
                serving(T0, blue, green, new WeightCheck.Matches()));
        int i = 0;
        while (i < 20 && !(d.next().phase() instanceof Phase.RollingBack)) {
            i++;
            blue = blue.plus(new Counts(1000, 10));
            green = green.plus(greenInterval.apply(i));
            d = decider.decide(d.next(), serving(T0.plusSeconds(i), blue, green, new WeightCheck.Matches()));
        }
        return new Shifted(d.next(), i);
    }

    @Test
    void aSpikeAtAnApprovalGateRollsBack() {
        Phase gate = new Phase.AwaitingApproval("before contract", new Phase.DrainingBlue());
        Decision d = judge(at(gate, Split.allToGreen()), 0.5, 10);
        assertThat(d.next().phase()).isInstanceOfSatisfying(Phase.RollingBack.class,
                r -> assertThat(r.reason()).contains("while waiting"));
    }

    @Test
    void aSpikeDuringAPauseRollsBack() {
        Phase paused = new Phase.Paused(new Phase.Shifting(2), "paused by tester");
        Decision d = judge(at(paused, Split.green(50)), 0.5, 10);
        assertThat(d.next().phase()).isInstanceOf(Phase.RollingBack.class);
    }

    @Test
    void rollingBackReturnsAllTrafficToBlueAndStopsGreen() {
        Decision d = decider.decide(at(new Phase.RollingBack("test"), Split.green(50)),
                serving(T0, QUIET, QUIET, null));
        assertThat(d.effects()).containsExactly(new SetSplit(Split.allToBlue(), null), new StopSlot(Slot.B, "2.0.0"));
        assertThat(d.next().phase()).isEqualTo(new Phase.RolledBack("test"));
        assertThat(d.next().split()).isEqualTo(Split.allToBlue());
        // the cause is said by the change to ROLLING_BACK and by the RolledBack event, not a third time in between
        assertThat(d.next().history()).extracting(RolloutEvent::describe).endsWith(
                "traffic blue 100% / green 0%", "ROLLING_BACK → ROLLED_BACK: blue has all traffic; green stopped",
                "rolled back: test");
    }

    @Test
    void aSplitTheRouterDoesNotHoldIsSetAgainAndTheStepWaits() {
        RolloutState s = at(new Phase.Shifting(1), Split.green(25)).withAnalysis(new AnalysisProgress(
                dev.botshift.analysis.FailureTally.NONE, 0, 3, QUIET, QUIET, dev.botshift.analysis.JudgeMemory.EMPTY));
        WeightCheck wrong = new WeightCheck.Differs(new Weights(90, 10));
        Decision d = decider.decide(s, serving(T0.plusSeconds(60), new Counts(300, 3), new Counts(100, 1), wrong));
        assertThat(d.next().phase()).as("the step does not complete").isEqualTo(new Phase.Shifting(1));
        assertThat(d.effects()).singleElement().isInstanceOfSatisfying(SetSplit.class, set -> {
            assertThat(set.split()).isEqualTo(Split.green(25));
            assertThat(set.guard().rollout()).as("set again with its guard").isEqualTo("run");
        });
        assertThat(d.next().history()).last().isEqualTo(
                new RolloutEvent.SplitCorrected(T0.plusSeconds(60), Split.green(25), Split.green(10)));

        Decision verified = decider.decide(d.next(), serving(T0.plusSeconds(61), new Counts(600, 6),
                new Counts(200, 2), new WeightCheck.Matches()));
        assertThat(verified.next().phase()).as("verified: the step completes").isEqualTo(new Phase.Shifting(2));
    }

    @Test
    void blueIsNotStoppedWhileTheRouterStillSendsItTraffic() {
        Decision d = decider.decide(at(new Phase.DrainingBlue(), Split.allToGreen()),
                new Snapshot(T0, null, 2, null, null, new WeightCheck.Differs(new Weights(50, 50))));
        assertThat(d.effects()).containsExactly(new SetSplit(Split.allToGreen(), null));
    }

    static final Snapshot NOTHING = new Snapshot(T0, null, 0, null, null, null);

    @Test
    void theExpandIsRehearsedOncePerEntryBeforeAnyExpandChangesetRuns() {
        RolloutState expanding = at(new Phase.Expanding(), Split.allToBlue());
        Decision ask = decider.decide(expanding, NOTHING);
        assertThat(ask.effects()).as("the rehearsal alone, no changeset yet").containsExactly(new Effect.RehearseExpand());
        assertThat(ask.next().phase()).isInstanceOf(Phase.Expanding.class);

        RolloutState passed = ask.next().record(new RolloutEvent.ExpandRehearsed(T0,
                new dev.botshift.schema.RehearsalResult.Passed(5, 0, 1, -1)));
        Decision expand = decider.decide(passed, NOTHING);
        assertThat(expand.effects().get(0)).isEqualTo(new Effect.ApplySchema(dev.botshift.schema.SchemaPhase.EXPAND));
        assertThat(expand.effects()).doesNotContain(new Effect.RehearseExpand());
        assertThat(expand.next().phase()).isInstanceOf(Phase.DeployingGreen.class);

        RolloutState skipped = ask.next().record(new RolloutEvent.ExpandRehearsed(T0,
                new dev.botshift.schema.RehearsalResult.Skipped("pg_stat_statements is not loaded")));
        assertThat(decider.decide(skipped, NOTHING).next().phase()).as("skipped: the rollout goes on")
                .isInstanceOf(Phase.DeployingGreen.class);

        // re-entering EXPANDING (resume after a failed expand) rehearses what is still pending again
        RolloutState resumed = passed.withPhase(new Phase.Failed("expand failed", new Phase.Expanding()), T0, "x")
                .withPhase(new Phase.Expanding(), T0, "retrying");
        assertThat(decider.decide(resumed, NOTHING).effects()).containsExactly(new Effect.RehearseExpand());
    }

    @Test
    void aRefusedExpandEndsTheRolloutBeforeAnythingRunsWithBlueTheStableVersion() {
        RolloutState refused = at(new Phase.Expanding(), Split.allToBlue()).record(new RolloutEvent.ExpandRehearsed(T0,
                new dev.botshift.schema.RehearsalResult.Refused(List.of(new dev.botshift.schema.RehearsalResult.Broken(
                        "SELECT id FROM a JOIN b ON b.a_id = a.id", "column reference \"id\" is ambiguous (SQLSTATE "
                        + "42702)")), 2)));
        Decision d = decider.decide(refused, NOTHING);
        assertThat(d.effects()).as("no changeset, no start, no traffic change").isEmpty();
        assertThat(d.next().phase()).isInstanceOfSatisfying(Phase.RolledBack.class, r -> assertThat(r.reason())
                .contains("blue runs `SELECT id FROM a JOIN b", "expanded schema", "42702", "no expand changeset ran"));
        assertThat(d.next().phase().terminal()).as("a fixed release is deployed again as a fresh attempt").isTrue();
        assertThat(d.next().refusedByExpandRehearsal()).isTrue();
        assertThat(d.next().split()).isEqualTo(Split.allToBlue());
    }

    @Test
    void anExpandRehearsalThatCannotRunStopsForAHumanBeforeTheExpand() {
        RolloutState expanding = at(new Phase.Expanding(), Split.allToBlue());
        Decision d = decider.effectFailed(expanding, new Effect.RehearseExpand(), "lock_timeout expired", T0);
        assertThat(d.effects()).isEmpty();
        assertThat(d.next().phase()).isInstanceOfSatisfying(Phase.Failed.class, f -> {
            assertThat(f.reason()).contains("expand rehearsal could not run", "lock_timeout", "no expand changeset ran");
            assertThat(f.resumeTo()).isEqualTo(new Phase.Expanding());
        });
        assertThat(d.next().phase().rollbackable()).as("abort still possible").isTrue();
    }

    @Test
    void aFirstReleaseSaysWhyItsExpandIsNotRehearsed() {
        Decision d = decider.decide(firstRelease(new Phase.Expanding()), NOTHING);
        assertThat(d.effects()).doesNotContain(new Effect.RehearseExpand());
        assertThat(d.next().history()).anyMatch(e -> e instanceof RolloutEvent.ExpandRehearsed r
                && r.describe().equals("expand rehearsal skipped: first release: no blue runs statements the expand "
                + "could break"));
    }

    @Test
    void aFirstReleaseNeitherDrainsNorAnnouncesAPointOfNoReturn() {
        Decision baked = decider.advance(firstRelease(new Phase.Baking()), T0, "step passed");
        assertThat(baked.next().phase()).isInstanceOf(Phase.Contracting.class);
        Decision rehearse = decider.decide(baked.next(), new Snapshot(T0, null, 0, null, null, null));
        assertThat(rehearse.effects()).containsExactly(new Effect.RehearseContract());
        RolloutState rehearsed = rehearse.next().record(new RolloutEvent.ContractRehearsed(T0,
                new dev.botshift.schema.RehearsalResult.Skipped("no database")));
        Decision contracted = decider.decide(rehearsed, new Snapshot(T0, null, 0, null, null, null));
        assertThat(contracted.next().phase()).isInstanceOf(Phase.Succeeded.class);
        assertThat(contracted.effects()).noneMatch(e -> e instanceof StopSlot);
        assertThat(contracted.next().history()).noneMatch(e -> e.describe().contains("POINT OF NO RETURN")
                || e.describe().contains("blue"));
    }

    @Test
    void aFirstReleaseSaysWhatItWaitsForOnceGreenIsReady() {
        Decision d = decider.decide(firstRelease(new Phase.DeployingGreen()),
                new Snapshot(T0.plusSeconds(5), new Readiness.Ready(2), 0, null, null, null));
        assertThat(d.next().phase()).isEqualTo(new Phase.Shifting(0));
        assertThat(d.next().history()).last().isInstanceOfSatisfying(RolloutEvent.TrafficShifted.class,
                t -> assertThat(t.split().green()).isEqualTo(100));
        assertThat(d.next().history()).filteredOn(RolloutEvent.PhaseChanged.class::isInstance).last()
                .satisfies(e -> assertThat(((RolloutEvent.PhaseChanged) e).reason()).isEqualTo("green is ready; first "
                        + "release: green has all traffic and nothing to fall back to, so it goes on without waiting "
                        + "for a verdict, after its step (10s), the bake (10s); a failing verdict still stops it"));

        Decision next = decider.decide(at(new Phase.DeployingGreen(), Split.allToBlue()),
                new Snapshot(T0.plusSeconds(5), new Readiness.Ready(2), 0, null, null, null));
        assertThat(next.next().history()).filteredOn(RolloutEvent.PhaseChanged.class::isInstance).last()
                .satisfies(e -> assertThat(((RolloutEvent.PhaseChanged) e).reason()).isEqualTo("green is ready"));
    }

    @Test
    void aNeverReadyGreenSaysWhatItsHealthCheckAnswered() {
        RolloutState s = at(new Phase.DeployingGreen(), Split.allToBlue());
        Decision d = decider.decide(s, new Snapshot(T0.plusSeconds(31),
                new Readiness.Progressing(0, 2, "GET /healthz on port 4100 answered 404"), 0, null, null, null));
        assertThat(d.next().phase()).isInstanceOfSatisfying(Phase.RollingBack.class,
                r -> assertThat(r.reason()).contains("green not ready after 30s", "answered 404"));
    }

    @Test
    void greenComingUpIsToldWhenItsProgressChangesAndEveryHalfMinuteWhenItDoesNot() {
        Decider decider = new Decider(new RolloutSettings(List.of(10, 25, 50, 100), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Approval.NONE, Duration.ofMinutes(5), Duration.ofSeconds(1), 2,
                new JudgeSettings(0.05, 0.02, 20), 2, 5, 5, Duration.ofSeconds(60)));
        RolloutState s = at(new Phase.DeployingGreen(), Split.allToBlue());
        Readiness refused = new Readiness.Progressing(0, 2, "GET /healthz on port 4100: connection refused");
        List<RolloutEvent.GreenProgress> told = new java.util.ArrayList<>();
        for (int second = 1; second <= 28; second++) {
            Readiness r = second < 12 ? refused : new Readiness.Progressing(1, 2, "GET /healthz on port 4101 answered 503");
            Decision d = decider.decide(s, new Snapshot(T0.plusSeconds(second), r, 0, null, null, null));
            assertThat(d.next().phase()).isInstanceOf(Phase.DeployingGreen.class);
            s = d.next();
        }
        s.history().stream().filter(e -> e instanceof RolloutEvent.GreenProgress)
                .forEach(e -> told.add((RolloutEvent.GreenProgress) e));
        assertThat(told).as("at the start and at the change, not every second").hasSize(2);
        assertThat(told.get(0).describe()).isEqualTo("green 0/2 ready after 1s (progress deadline 300s): GET /healthz"
                + " on port 4100: connection refused");
        assertThat(told.get(1).describe()).startsWith("green 1/2 ready after 12s").endsWith("answered 503");

        Decision unchanged = decider.decide(s, new Snapshot(T0.plusSeconds(12).plus(Decider.PROGRESS_EVERY),
                new Readiness.Progressing(1, 2, "GET /healthz on port 4101 answered 503"), 0, null, null, null));
        assertThat(unchanged.next().history()).last().isInstanceOfSatisfying(RolloutEvent.GreenProgress.class,
                g -> assertThat(g.describe()).startsWith("green 1/2 ready after 42s"));
    }

    /** Feeds {@code intervals} one-second windows: blue 100 requests at 1 %, green {@code perInterval} error-free. */
    Decision thin(RolloutState s, int perInterval, int intervals, List<Phase> phases) {
        Decision d = null;
        Counts blue = QUIET;
        Counts green = QUIET;
        for (int i = 0; i <= intervals; i++) {
            d = decider.decide(s, serving(T0.plusSeconds(i + 1), blue, green, new WeightCheck.Matches()));
            phases.add(d.next().phase());
            if (!(d.next().phase().equals(s.phase()))) {
                return d;
            }
            s = d.next();
            blue = blue.plus(new Counts(100, 1));
            green = green.plus(new Counts(perInterval, 0));
        }
        return d;
    }

    @Test
    void aStepOnThinTrafficWaitsForEvidenceInsteadOfPausing() {
        // 2 green requests a second (20 messages/s at 10 %), minRequests 20, inconclusiveLimit 5, 10 s steps
        List<Phase> phases = new java.util.ArrayList<>();
        Decision d = thin(at(new Phase.Shifting(0), Split.green(10)), 2, 30, phases);

        assertThat(phases).doesNotHaveAnyElementsOfTypes(Phase.Paused.class);
        assertThat(d.next().phase()).as("the step passed once 20 green requests were judged")
                .isEqualTo(new Phase.Shifting(1));
        assertThat(phases.size()).as("intervals until then").isBetween(11, 13);
        assertThat(d.next().history()).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(
                RolloutEvent.AnalysisResult.class, r -> assertThat(r.reason()).contains("waiting for evidence: 2 of 20")));
    }

    @Test
    void aStepWithoutAVerdictWithinMaxStepDurationPausesSayingWhy() {
        List<Phase> phases = new java.util.ArrayList<>();
        Decision d = thin(at(new Phase.Shifting(0), Split.green(10)), 0, 80, phases);

        assertThat(d.next().phase()).isInstanceOfSatisfying(Phase.Paused.class, p -> assertThat(p.reason())
                .contains("analysis.maxStepDuration 1m", "minRequests 20", "0 of 20"));
        assertThat(phases).hasSizeBetween(60, 62);
    }

    @Test
    void evidenceLeaningAgainstGreenHoldsTheStepUntilItFades() {
        // the step's time is up and green passes, but the sequential test still leans against it (6 of 8.3)
        Counts blue = new Counts(1000, 10);
        Counts green = new Counts(1000, 10);
        AnalysisProgress leaning = new AnalysisProgress(dev.botshift.analysis.FailureTally.NONE, 0, 1, blue, green,
                new dev.botshift.analysis.JudgeMemory(6.0, 1000, 10));
        RolloutState s = at(new Phase.Shifting(0), Split.green(10)).withAnalysis(leaning);
        List<Double> evidence = new java.util.ArrayList<>();
        for (int i = 0; i < 10 && s.phase().equals(new Phase.Shifting(0)); i++) {
            blue = blue.plus(new Counts(100, 1));
            green = green.plus(new Counts(100, 1));
            evidence.add(s.analysis().memory().cusum());
            s = decider.decide(s, serving(T0.plusSeconds(11 + i), blue, green, new WeightCheck.Matches())).next();
        }
        assertThat(s.phase()).isEqualTo(new Phase.Shifting(1));
        assertThat(evidence).as("held while the evidence stayed above half the threshold").hasSizeGreaterThan(1)
                .allSatisfy(c -> assertThat(c).isGreaterThanOrEqualTo(dev.botshift.analysis.Judge.CUSUM_THRESHOLD / 2));
        assertThat(s.analysis().memory().cusum()).as("a new step keeps the evidence").isPositive();
    }

    /**
     * A new step holds green to the step before's blue until it has its own ({@code JudgeMemory#newStep}); a step
     * where blue gets no traffic (100 %, the bake) starts without it.
     */
    @Test
    void aNewStepCarriesTheStepBeforesBlueWhereBlueStillServes() {
        Counts blue = new Counts(1000, 10);
        Counts green = new Counts(1000, 10);
        RolloutState s = at(new Phase.Shifting(2), Split.green(50)).withAnalysis(new AnalysisProgress(
                dev.botshift.analysis.FailureTally.NONE, 0, 0, blue, green, dev.botshift.analysis.JudgeMemory.EMPTY));
        for (int i = 0; i < 20 && s.phase().equals(new Phase.Shifting(2)); i++) {
            blue = blue.plus(new Counts(100, 1));
            green = green.plus(new Counts(100, 1));
            s = decider.decide(s, serving(T0.plusSeconds(11 + i), blue, green, new WeightCheck.Matches())).next();
        }
        assertThat(s.phase()).as("the 100 % step").isEqualTo(new Phase.Shifting(3));
        assertThat(s.analysis().memory().baselineRequests()).as("blue gets nothing at 100 %: nothing carried").isZero();

        RolloutState at10 = at(new Phase.Shifting(0), Split.green(10)).withAnalysis(new AnalysisProgress(
                dev.botshift.analysis.FailureTally.NONE, 0, 0, blue, green, dev.botshift.analysis.JudgeMemory.EMPTY));
        long judged = 0;
        for (int i = 0; i < 20 && at10.phase().equals(new Phase.Shifting(0)); i++) {
            blue = blue.plus(new Counts(100, 1));
            green = green.plus(new Counts(100, 1));
            judged += 100;
            at10 = decider.decide(at10, serving(T0.plusSeconds(11 + i), blue, green, new WeightCheck.Matches())).next();
        }
        assertThat(at10.phase()).isEqualTo(new Phase.Shifting(1));
        assertThat(at10.analysis().memory().baselineRequests()).as("the 10 % step's blue, carried into the 25 % step")
                .isEqualTo(judged).isPositive();
    }

    /**
     * "Half the threshold" is half the one the sums were last held to: walked through the looks, the sums run a
     * little higher on healthy traffic and their thresholds are higher (by the looks' size), so the same sum that holds
     * a step read once does not hold it walked.
     */
    @Test
    void aStepIsHeldAtHalfTheThresholdTheSumsWereHeldTo() {
        Counts blue = new Counts(1000, 10);
        Counts green = new Counts(1000, 10);
        double margin = dev.botshift.analysis.Judge.lookedMargin(10);
        double between = (dev.botshift.analysis.Judge.CUSUM_THRESHOLD + margin / 2) / 2; // half read once < it < half walked
        // no green request since the last tick: no verdict, the memory stays as it was
        Observation blueNow = new Observation.Measured(blue.plus(new Counts(100, 1)));
        Observation greenNow = new Observation.Measured(green);
        RolloutState readOnce = at(new Phase.Shifting(0), Split.green(10)).withAnalysis(new AnalysisProgress(
                dev.botshift.analysis.FailureTally.NONE, 0, 1, blue, green,
                new dev.botshift.analysis.JudgeMemory(between, 0, 1000, 10, null, 0, 0, 0)));
        RolloutState once = decider.decide(readOnce, new Snapshot(T0.plusSeconds(11), null, 0, blueNow, greenNow,
                new WeightCheck.Matches(), null)).next();
        assertThat(once.analysis().memory().cusum()).isEqualTo(between);
        assertThat(once.phase()).as("read once: above half of %.2f", dev.botshift.analysis.Judge.CUSUM_THRESHOLD)
                .isEqualTo(new Phase.Shifting(0));
        RolloutState walked = readOnce.withAnalysis(new AnalysisProgress(dev.botshift.analysis.FailureTally.NONE, 0, 1,
                blue, green, new dev.botshift.analysis.JudgeMemory(between, 0, 1000, 10, null, margin, 0, 0)));
        assertThat(decider.decide(walked, new Snapshot(T0.plusSeconds(11), null, 0, blueNow, greenNow,
                new WeightCheck.Matches(), null, List.of(), List.of())).next().phase())
                .as("walked: below half of the looked threshold").isEqualTo(new Phase.Shifting(1));
    }

    /** At the 25 % step with its window open: blue 10 errors in 1,000 so far, green 5 in 500. */
    private RolloutState windowOpenAt25() {
        return at(new Phase.Shifting(1), Split.green(25)).withAnalysis(new AnalysisProgress(
                dev.botshift.analysis.FailureTally.NONE, 0, 0, new Counts(1000, 10), new Counts(500, 5),
                dev.botshift.analysis.JudgeMemory.EMPTY));
    }

    @Test
    void theTickWalksTheSequentialTestThroughTheIntervalsLooks() {
        RolloutState s = windowOpenAt25();
        Counts green = s.analysis().lastGreen();
        Observation blueNow = new Observation.Measured(s.analysis().lastBlue().plus(new Counts(300, 3)));
        // 50 clean requests, then 8 errors in 50: read once, the clean half hides the spike from both sums (a failed
        // interval, one of failureLimit); walked through the look at the half, the steep sum crosses (decisive)
        Observation greenNow = new Observation.Measured(green.plus(new Counts(100, 8)));
        var once = decider.decide(s, new Snapshot(T0.plusSeconds(1), null, 0, blueNow, greenNow,
                new WeightCheck.Matches(), null)).next().analysis().failures();
        assertThat(once.decisive()).isFalse();
        var looked = decider.decide(s, new Snapshot(T0.plusSeconds(1), null, 0, blueNow, greenNow,
                new WeightCheck.Matches(), null, List.of(green.plus(new Counts(50, 0))), List.of())).next();
        assertThat(looked.analysis().failures().decisive()).isTrue();
        assertThat(looked.phase()).isInstanceOf(Phase.RollingBack.class);
        // the look between ticks decides the same on the same counts: it ends the interval early
        assertThat(decider.decisiveSoFar(s, blueNow, greenNow, List.of(green.plus(new Counts(50, 0))), List.of())).isTrue();
        assertThat(decider.decisiveSoFar(s, blueNow, greenNow, List.of(), List.of())).isFalse();
    }

    // blue's looks into the interval, read in full: an outage they show in blue's latest answers holds the sums, so
    // no look ends the interval on green's share of it
    @Test
    void aLookDoesNotEndTheIntervalOnAnOutageBluesLatestLooksShow() {
        AnalysisProgress open = windowOpenAt25().analysis();
        RolloutState s = windowOpenAt25().withAnalysis(new AnalysisProgress(open.failures(), 0, 0, open.lastBlue(),
                open.lastGreen(), new dev.botshift.analysis.JudgeMemory(0, 0, 10_000, 100, null)));
        Counts blue = s.analysis().lastBlue();
        // the outage in blue's latest 30 answers (9 errors) leaves the interval's blue (1.3 %) within its own pool's
        // noise: read whole, blue is in normal service, and green's 12 errors in 100 cross
        Observation blueNow = new Observation.Measured(blue.plus(new Counts(3030, 39)));
        Observation greenNow = new Observation.Measured(s.analysis().lastGreen().plus(new Counts(100, 12)));
        assertThat(decider.decisiveSoFar(s, blueNow, greenNow, List.of(), List.of())).isTrue();
        assertThat(decider.decisiveSoFar(s, blueNow, greenNow, List.of(), List.of(blue.plus(new Counts(3000, 30)))))
                .isFalse();
    }

    @Test
    void onlyTheSequentialTestEndsAnIntervalEarly() {
        RolloutState s = windowOpenAt25();
        Counts green = s.analysis().lastGreen();
        Observation blueNow = new Observation.Measured(s.analysis().lastBlue().plus(new Counts(300, 3)));
        // 12 errors in 100 against a 3 % limit: both sums cross on the window so far
        assertThat(decider.decisiveSoFar(s, blueNow, new Observation.Measured(green.plus(new Counts(100, 12))), List.of(), List.of()))
                .isTrue();
        // 3 in 20 fails the interval test (its 95 % bound is above the limit) but proves nothing sequentially yet:
        // the interval runs on to its end
        Observation threeIn20 = new Observation.Measured(green.plus(new Counts(20, 3)));
        assertThat(decider.decide(s, new Snapshot(T0.plusSeconds(1), null, 0, blueNow, threeIn20,
                new WeightCheck.Matches())).next().analysis().failures().inARow()).as("a failed interval").isEqualTo(1);
        assertThat(decider.decisiveSoFar(s, blueNow, threeIn20, List.of(), List.of())).isFalse();
        // below minRequests (20) no verdict, however bad
        assertThat(decider.decisiveSoFar(s, blueNow, new Observation.Measured(green.plus(new Counts(10, 10))), List.of(), List.of()))
                .isFalse();
        // nothing to end where green has no traffic, or before the window opened
        assertThat(decider.decisiveSoFar(s.withSplit(Split.green(0), T0), blueNow,
                new Observation.Measured(green.plus(new Counts(100, 12))), List.of(), List.of())).isFalse();
        assertThat(decider.decisiveSoFar(at(new Phase.Shifting(1), Split.green(25)), blueNow,
                new Observation.Measured(green.plus(new Counts(100, 12))), List.of(), List.of())).isFalse();
    }

    @Test
    void aTicksEventsAreSettledInTheOrderTheyHappened() {
        RolloutState s = at(new Phase.Shifting(0), Split.green(10));
        Decision d = thin(s, 20, 30, new java.util.ArrayList<>());
        assertThat(d.next().phase()).isEqualTo(new Phase.Shifting(1));
        Instant decidedAt = d.next().history().get(d.next().history().size() - 1).at();
        int base = (int) java.util.stream.IntStream.range(0, d.next().history().size())
                .filter(i -> d.next().history().get(i).at().isBefore(decidedAt)).count();
        // the tick's verdict, recorded last here, happened at the decision: before everything else of the tick
        RolloutState decided = d.next().record(new RolloutEvent.AnalysisResult(decidedAt, Verdict.Kind.PASS, "verdict",
                null, new Counts(20, 0)));
        // an effect reported something after the decision; the router took the split 2 ms in; all was done at 5 ms
        RolloutEvent effect = new RolloutEvent.StatementsRecording(decidedAt.plusMillis(1), true, "effect");
        RolloutState settled = decided.settled(base, List.of(effect), decidedAt, decidedAt.plusMillis(2),
                decidedAt.plusMillis(5));

        List<RolloutEvent> tick = settled.history().subList(base, settled.history().size());
        assertThat(tick).extracting(RolloutEvent::describe).containsExactly(
                "analysis PASS: verdict", "effect", "SHIFTING: step 1 (10%) passed", "traffic blue 75% / green 25%");
        assertThat(tick).extracting(RolloutEvent::at).as("never out of order").isSorted();
        assertThat(tick.get(3).at()).isEqualTo(decidedAt.plusMillis(2));
    }
}
