package dev.botshift.rollout;

import static dev.botshift.rollout.DeciderTest.QUIET;
import static dev.botshift.rollout.DeciderTest.T0;
import static dev.botshift.rollout.DeciderTest.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.analysis.Counts;
import dev.botshift.analysis.JudgeSettings;
import dev.botshift.analysis.Observation;
import dev.botshift.core.Split;
import dev.botshift.plan.Approval;
import dev.botshift.rollout.Effect.ApplySchema;
import dev.botshift.rollout.Effect.RehearseContract;
import dev.botshift.rollout.Effect.StopSlot;
import dev.botshift.schema.RehearsalResult;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.traffic.WeightCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The point of no return, decided: the contract rehearsal before it and the post-contract watch after it. */
class ContractSafetyTest {
    private static final RehearsalResult REFUSED = new RehearsalResult.Refused(List.of(new RehearsalResult.Broken(
            "SELECT max(created_at) FROM messages WHERE chat_id = $1",
            "ERROR: column \"created_at\" does not exist (SQLSTATE 42703)")), 3);

    private final Decider decider = new Decider(new RolloutSettings(List.of(10, 25, 50, 100), Duration.ofSeconds(10),
            Duration.ofSeconds(10), Approval.NONE, Duration.ofSeconds(30), Duration.ofSeconds(1), 2,
            new JudgeSettings(0.05, 0.02, 20), 2, 5, 5, Duration.ofSeconds(60), Duration.ofSeconds(30)));

    private static Snapshot draining(int blueLeft) {
        return new Snapshot(T0, null, blueLeft, null, null, new WeightCheck.Matches());
    }

    @Test
    void drainingBlueRehearsesTheContractBeforeStoppingAnything() {
        RolloutState s = at(new Phase.DrainingBlue(), Split.allToGreen());
        Decision d = decider.decide(s, draining(2));
        assertThat(d.effects()).containsExactly(new RehearseContract());
        assertThat(d.next().phase()).isInstanceOf(Phase.DrainingBlue.class);
        // even when blue is already gone, the contract is not reached unrehearsed
        assertThat(decider.decide(s, draining(0)).effects()).containsExactly(new RehearseContract());
    }

    @Test
    void aRefusedRehearsalHoldsBeforeThePointOfNoReturnAndAbortStillBringsBlueBack() {
        RolloutState s = at(new Phase.DrainingBlue(), Split.allToGreen())
                .record(new RolloutEvent.ContractRehearsed(T0, REFUSED));
        Decision d = decider.decide(s, draining(2));

        assertThat(d.effects()).noneMatch(e -> e instanceof StopSlot || e instanceof ApplySchema);
        assertThat(d.next().phase()).isInstanceOfSatisfying(Phase.Failed.class, f -> {
            assertThat(f.reason()).contains("max(created_at)", "does not exist", "abort");
            assertThat(f.resumeTo()).isEqualTo(new Phase.Baking());
            assertThat(f.rollbackable()).isTrue();
            assertThat(f.pastPointOfNoReturn()).isFalse();
        });
        assertThat(d.next().split()).as("green keeps serving").isEqualTo(Split.allToGreen());

        Decision aborted = decider.decide(DeciderTest.request(d.next(), Request.Kind.ABORT), draining(2));
        assertThat(aborted.next().phase()).isInstanceOf(Phase.RollingBack.class);
    }

    @Test
    void aPassedOrSkippedRehearsalLetsBlueBeDrainedAndTheContractRun() {
        for (RehearsalResult r : List.of(new RehearsalResult.Passed(4, 0, 1, 30),
                new RehearsalResult.Skipped("pg_stat_statements is not loaded"))) {
            RolloutState s = at(new Phase.DrainingBlue(), Split.allToGreen())
                    .record(new RolloutEvent.ContractRehearsed(T0, r));
            assertThat(decider.decide(s, draining(2)).effects()).singleElement().isInstanceOf(StopSlot.class);
            assertThat(decider.decide(s, draining(0)).next().phase()).isInstanceOf(Phase.Contracting.class);
        }
    }

    @Test
    void aRehearsalOfAnEarlierPhaseDoesNotCount() {
        RolloutState s = at(new Phase.Baking(), Split.allToGreen())
                .record(new RolloutEvent.ContractRehearsed(T0, new RehearsalResult.Passed(1, 0, 0, 10)))
                .withPhase(new Phase.DrainingBlue(), T0, "baked");
        assertThat(decider.decide(s, draining(2)).effects()).containsExactly(new RehearseContract());
    }

    @Test
    void aRehearsalThatCannotRunHoldsToo() {
        RolloutState s = at(new Phase.DrainingBlue(), Split.allToGreen());
        Decision d = decider.effectFailed(s, new RehearseContract(), "lock_timeout expired", T0);
        assertThat(d.next().phase()).isInstanceOfSatisfying(Phase.Failed.class, f -> {
            assertThat(f.reason()).contains("could not run", "lock_timeout expired");
            assertThat(f.rollbackable()).isTrue();
        });
    }

    @Test
    void afterTheContractGreenIsStillWatchedAndPassesOn() {
        RolloutState s = at(new Phase.Contracting(), Split.allToGreen());
        Decision contract = decider.decide(s, new Snapshot(T0, null, 0, null, null, null));
        assertThat(contract.effects()).containsExactly(new ApplySchema(SchemaPhase.CONTRACT));
        assertThat(contract.next().phase()).isInstanceOf(Phase.WatchingAfterContract.class);
        assertThat(contract.next().phase().pastPointOfNoReturn()).isTrue();
        assertThat(contract.next().phase().rollbackable()).isFalse();

        Decision d = watch(contract.next(), 0.0, 40);
        assertThat(d.next().phase()).isInstanceOf(Phase.TearingDown.class);
        assertThat(d.next().history()).noneMatch(e -> e instanceof RolloutEvent.PostContractFailed);
    }

    @Test
    void greenFailingAfterTheContractEndsFailedNeverSucceeded() {
        RolloutState watching = decider.decide(at(new Phase.Contracting(), Split.allToGreen()),
                new Snapshot(T0, null, 0, null, null, null)).next();

        Decision d = watch(watching, 0.4, 10);

        assertThat(d.next().phase()).isInstanceOfSatisfying(Phase.Failed.class, f -> {
            assertThat(f.reason()).contains("green failed after the contract", "rollback is impossible", "runbook");
            assertThat(f.resumeTo()).isEqualTo(new Phase.WatchingAfterContract());
            assertThat(f.pastPointOfNoReturn()).isTrue();
        });
        assertThat(d.next().history()).anyMatch(e -> e instanceof RolloutEvent.PostContractFailed);
        Decision abort = decider.decide(DeciderTest.request(d.next(), Request.Kind.ABORT),
                new Snapshot(T0, null, 0, null, null, null));
        assertThat(abort.next().phase()).isInstanceOf(Phase.Failed.class);
    }

    @Test
    void aResumeAfterTheForwardFixJudgesGreenAfreshAndFinishes() {
        RolloutState watching = decider.decide(at(new Phase.Contracting(), Split.allToGreen()),
                new Snapshot(T0, null, 0, null, null, null)).next();
        RolloutState failed = watch(watching, 0.5, 10).next();
        assertThat(failed.phase()).isInstanceOf(Phase.Failed.class);

        // the runbook's forward fix: green is healthy again; resume must not be failed by the evidence of the fault
        Decision resumed = decider.decide(DeciderTest.request(failed, Request.Kind.RESUME),
                new Snapshot(failed.phaseSince().plusSeconds(30), null, 0, null, null, null));
        assertThat(resumed.next().phase()).isEqualTo(new Phase.WatchingAfterContract());
        Decision d = watch(resumed.next(), 0.0, 40);

        assertThat(d.next().phase()).isInstanceOf(Phase.TearingDown.class);
    }

    @Test
    void withoutAWatchTheContractGoesStraightToTearingDown() {
        Decider noWatch = new Decider(DeciderTest.settings(Approval.NONE, 2, 5));
        Decision d = noWatch.decide(at(new Phase.Contracting(), Split.allToGreen()),
                new Snapshot(T0, null, 0, null, null, null));
        assertThat(d.next().phase()).isInstanceOf(Phase.TearingDown.class);
    }

    /** One verdict a second: green at {@code rate} errors on 100 requests per second, blue gone. */
    private Decision watch(RolloutState s, double rate, int seconds) {
        Decision d = null;
        Counts green = QUIET;
        for (int i = 1; i <= seconds; i++) {
            Instant now = s.phaseSince().plusSeconds(i);
            d = decider.decide(s, new Snapshot(now, null, 0, new Observation.NoData("blue is gone"),
                    new Observation.Measured(green), null));
            if (!d.next().phase().equals(s.phase())) {
                return d;
            }
            s = d.next();
            green = green.plus(new Counts(100, Math.round(100 * rate)));
        }
        return d;
    }
}
