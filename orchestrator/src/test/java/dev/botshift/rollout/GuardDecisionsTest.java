package dev.botshift.rollout;

import static dev.botshift.rollout.DeciderTest.T0;
import static dev.botshift.rollout.DeciderTest.at;
import static dev.botshift.rollout.DeciderTest.serving;
import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.analysis.Counts;
import dev.botshift.analysis.FailureTally;
import dev.botshift.analysis.Judge;
import dev.botshift.analysis.JudgeMemory;
import dev.botshift.core.Slot;
import dev.botshift.core.Split;
import dev.botshift.core.Weights;
import dev.botshift.plan.Approval;
import dev.botshift.rollout.Effect.SetSplit;
import dev.botshift.traffic.GreenGuard;
import dev.botshift.traffic.GuardTrip;
import dev.botshift.traffic.WeightCheck;
import org.junit.jupiter.api.Test;

/** How the decider arms the router's guard on green, and what it does once the guard cut green. */
class GuardDecisionsTest {
    final Decider decider = new Decider(DeciderTest.settings(Approval.NONE, 2, 5));
    static final GuardTrip TRIP = new GuardTrip(T0.minusSeconds(3), 150, 20, 13.9, 0.01, 0.03, GreenGuard.THRESHOLD);

    /** A step whose time is up with a passing verdict behind it and blue's 1 % over 2,000 requests in memory. */
    static RolloutState passedStep(Phase phase, Split split) {
        return at(phase, split).withAnalysis(new AnalysisProgress(FailureTally.NONE, 0, 3, new Counts(0, 0),
                new Counts(0, 0), new JudgeMemory(0, 2000, 20)));
    }

    @Test
    void everyStepArmsTheGuardWithTheJudgesHypothesesForTheStepBefore() {
        RolloutState s = passedStep(new Phase.Shifting(0), Split.green(10));
        Decision d = decider.decide(s, serving(T0.plusSeconds(60), new Counts(0, 0), new Counts(0, 0),
                new WeightCheck.Matches()));
        assertThat(d.next().phase()).isEqualTo(new Phase.Shifting(1));
        SetSplit set = (SetSplit) d.effects().get(0);
        assertThat(set.split()).isEqualTo(Split.green(25));
        // blue erred 20 of 2,000 in the step before: the judge's own rule gives the hypotheses
        Judge judge = new Judge(DeciderTest.settings(Approval.NONE, 2, 5).judge());
        assertThat(set.guard()).isEqualTo(new GreenGuard(Slot.B, "run", judge.sequentialTest(2000, 20),
                judge.maxErrorRate()));
        assertThat(set.guard().test().p0()).isBetween(0.0099, 0.0105);
    }

    @Test
    void theBakeAtAHundredPercentIsGuardedWhileBlueRunsAndTheDrainDisarmsFirst() {
        Decision bake = decider.decide(passedStep(new Phase.Shifting(2), Split.green(50)),
                serving(T0.plusSeconds(60), new Counts(0, 0), new Counts(0, 0), new WeightCheck.Matches()));
        assertThat(bake.effects()).singleElement().isInstanceOfSatisfying(SetSplit.class,
                set -> assertThat(set.guard()).as("blue still runs: a cut to blue is a rollback").isNotNull());

        Decision drain = decider.decide(passedStep(new Phase.Baking(), Split.allToGreen()),
                serving(T0.plusSeconds(60), new Counts(0, 0), new Counts(0, 0), new WeightCheck.Matches()));
        assertThat(drain.next().phase()).isInstanceOf(Phase.DrainingBlue.class);
        assertThat(drain.effects()).as("disarmed before anything of blue stops; stored only once the router took it")
                .containsExactly(new SetSplit(Split.allToGreen(), null));
    }

    @Test
    void aBakeResumedAfterARefusedContractRehearsalIsGuardedAgain() {
        // the drain disarmed the guard; the refused rehearsal sent the rollout back to the bake, blue still running
        RolloutState failed = DeciderTest.request(at(new Phase.Failed("contract refused by the rehearsal",
                new Phase.Baking()), Split.allToGreen()), Request.Kind.RESUME);
        Decision d = decider.decide(failed, serving(T0, new Counts(0, 0), new Counts(0, 0), null));
        assertThat(d.next().phase()).isInstanceOf(Phase.Baking.class);
        assertThat(d.effects()).singleElement().isInstanceOfSatisfying(SetSplit.class, set -> {
            assertThat(set.split()).isEqualTo(Split.allToGreen());
            assertThat(set.guard()).isNotNull();
        });
    }

    @Test
    void aFirstReleaseIsNeverGuardedThereIsNoBlueToCutBackTo() {
        RolloutState first = DeciderTest.firstRelease(new Phase.Pending());
        assertThat(decider.guard(first, new Phase.Shifting(0), Split.allToGreen(), JudgeMemory.EMPTY)).isNull();
    }

    @Test
    void aTripOfThisRolloutRollsBackWithTheRoutersReasonAndIsNeverCorrected() {
        RolloutState s = passedStep(new Phase.Shifting(1), Split.green(25));
        WeightCheck tripped = new WeightCheck.Tripped(Weights.allTo(Slot.A), "run", TRIP);
        Decision d = decider.decide(s, serving(T0.plusSeconds(1), new Counts(100, 1), new Counts(10, 0), tripped));
        assertThat(d.effects()).as("no split set back to green").isEmpty();
        assertThat(d.next().phase()).isInstanceOfSatisfying(Phase.RollingBack.class, r -> assertThat(r.reason())
                .contains("the router's guard cut green to 0%", "20 errors in 150 green answers"));
        assertThat(d.next().history()).anyMatch(e -> e instanceof RolloutEvent.GuardTripped g && g.trip().equals(TRIP)
                && g.at().equals(TRIP.at()));
    }

    @Test
    void aTripAtAGateOrInAPauseRollsBackToo() {
        WeightCheck tripped = new WeightCheck.Tripped(Weights.allTo(Slot.A), "run", TRIP);
        for (Phase waiting : new Phase[] {new Phase.Paused(new Phase.Shifting(1), "paused by tester"),
                new Phase.AwaitingApproval("before contract", new Phase.DrainingBlue())}) {
            Decision d = decider.decide(at(waiting, Split.green(50)), serving(T0, new Counts(0, 0), new Counts(0, 0),
                    tripped));
            assertThat(d.next().phase()).as("%s", waiting).isInstanceOf(Phase.RollingBack.class);
        }
    }

    @Test
    void aTripComesBeforeTheCommandsWaitingNoneAsksForGreensTrafficAgain() {
        RolloutState paused = DeciderTest.request(at(new Phase.Paused(new Phase.Shifting(1), "paused by tester"),
                Split.green(25)), Request.Kind.RESUME);
        WeightCheck tripped = new WeightCheck.Tripped(Weights.allTo(Slot.A), "run", TRIP);
        Decision d = decider.decide(paused, serving(T0, new Counts(0, 0), new Counts(0, 0), tripped));
        assertThat(d.effects()).isEmpty();
        assertThat(d.next().phase()).isInstanceOf(Phase.RollingBack.class);
        assertThat(d.next().requests()).isEmpty();
        assertThat(d.next().history()).as("resume carries on: into the rollback")
                .anyMatch(e -> e instanceof RolloutEvent.CommandAccepted a && a.command() == Request.Kind.RESUME);

        Decision promoted = decider.decide(DeciderTest.request(at(new Phase.Shifting(1), Split.green(25)),
                Request.Kind.PROMOTE), serving(T0, new Counts(0, 0), new Counts(0, 0), tripped));
        assertThat(promoted.effects()).isEmpty();
        assertThat(promoted.next().history()).anyMatch(e -> e instanceof RolloutEvent.CommandRefused r
                && r.why().contains("the router's guard cut green"));

        Decision aborted = decider.decide(DeciderTest.request(at(new Phase.Shifting(1), Split.green(25)),
                Request.Kind.ABORT), serving(T0, new Counts(0, 0), new Counts(0, 0), tripped));
        assertThat(aborted.next().history()).anyMatch(e -> e instanceof RolloutEvent.CommandAccepted);
        assertThat(aborted.next().phase()).isInstanceOfSatisfying(Phase.RollingBack.class,
                r -> assertThat(r.reason()).contains("the router's guard"));
    }

    @Test
    void anEarlierRolloutsTripOnRecordIsOnlyASplit() {
        RolloutState s = passedStep(new Phase.Shifting(1), Split.green(25));
        WeightCheck old = new WeightCheck.Tripped(Weights.allTo(Slot.A), "an earlier run", TRIP);
        Decision d = decider.decide(s, serving(T0.plusSeconds(1), new Counts(100, 1), new Counts(10, 0), old));
        assertThat(d.next().phase()).isEqualTo(new Phase.Shifting(1));
        assertThat(d.next().history()).last().isInstanceOf(RolloutEvent.SplitCorrected.class);
    }

    @Test
    void aResumedRunnerDoesNotSetTheSplitTheRoutersGuardCut() {
        RolloutState s = passedStep(new Phase.Shifting(1), Split.green(25));
        assertThat(decider.reconcile(s, new WeightCheck.Tripped(Weights.allTo(Slot.A), "run", TRIP))).isEmpty();
        assertThat(decider.reconcile(s, new WeightCheck.Matches())).singleElement()
                .isInstanceOfSatisfying(SetSplit.class, set -> assertThat(set.guard()).isNotNull());
    }
}
