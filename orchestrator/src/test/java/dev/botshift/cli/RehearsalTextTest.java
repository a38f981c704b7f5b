package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import dev.botshift.plan.Approval;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutState;
import dev.botshift.schema.RehearsalResult;
import dev.botshift.testing.TestPlans;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What `plan` says about the rehearsal before a rollout, and what `status` says about it during one. */
class RehearsalTextTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void planSaysWhetherTheRehearsalWillRunAndWhyNot() {
        String skipped = PlanText.steps(TestPlans.plan("bot", "2.0.0", Approval.NONE),
                PlanText.rehearsal(Optional.of("pg_stat_statements is not loaded on this server")));
        assertThat(skipped).contains("rehearse the contract", "will be skipped: pg_stat_statements is not loaded")
                .contains("before step 9 rolls back");
        assertThat(PlanText.rehearsal(Optional.empty())).startsWith("will run");
        assertThat(PlanText.rehearsal(null)).contains("not checked: --no-sql");
        assertThat(PlanText.json(TestPlans.plan("bot", "2.0.0", Approval.NONE), null, null, "will run"))
                .contains("\"contractRehearsal\" : \"will run\"");
    }

    @Test
    void statusShowsTheRecordingThenTheRehearsalsResult() {
        RolloutState s = RolloutState.begin("bot", "2.0.0", "run", 1, "/plan.yaml", Slot.B, "1.0.0", T0)
                .withPhase(new Phase.Baking(), T0, "test");
        assertThat(StatusView.rehearsal(s)).isEmpty();

        s = s.record(new RolloutEvent.StatementsRecording(T0, true, "recording"));
        assertThat(StatusView.table(s, T0)).contains("Rehearsal").contains("recording green's statements since");

        s = s.record(new RolloutEvent.ContractRehearsed(T0, new RehearsalResult.Refused(List.of(
                new RehearsalResult.Broken("SELECT max(created_at) FROM messages",
                        "ERROR: column \"created_at\" does not exist (SQLSTATE 42703)")), 4)));
        assertThat(StatusView.rehearsal(s)).hasValueSatisfying(line -> assertThat(line)
                .contains("contract refused", "SELECT max(created_at) FROM messages", "42703"));
    }
}
