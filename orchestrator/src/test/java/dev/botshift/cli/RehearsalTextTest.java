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
                .contains("before step 10 rolls back");
        assertThat(skipped.lines().filter(l -> l.contains("rehearse the expand")).findFirst()).hasValueSatisfying(l ->
                assertThat(l).startsWith("  1. ").contains("blue's", "before any changeset runs (exit 2",
                        "will be skipped: pg_stat_statements is not loaded", "never on an app's first release"));
        assertThat(PlanText.rehearsal(Optional.empty())).startsWith("will run");
        assertThat(PlanText.rehearsal(null)).contains("not checked: --no-sql");
        assertThat(PlanText.json(TestPlans.plan("bot", "2.0.0", Approval.NONE), null, null, "will run"))
                .contains("\"contractRehearsal\" : \"will run\"")
                .contains("\"expandRehearsal\" : \"will run (never on an app's first release: there is no blue)\"");
    }

    @Test
    void statusShowsTheRecordingThenTheRehearsalsResult() {
        RolloutState s = RolloutState.begin("bot", "2.0.0", "run", 1, "/plan.yaml", Slot.B, "1.0.0", null, T0)
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

    @Test
    void anExpandRefusedByItsRehearsalIsShownAndReportedAsARefusalNotARollback() throws Exception {
        RehearsalResult refused = new RehearsalResult.Refused(List.of(new RehearsalResult.Broken(
                "SELECT id FROM messages JOIN chats ON chats.chat_id = messages.chat_id",
                "ERROR: column reference \"id\" is ambiguous (SQLSTATE 42702)")), 3);
        RolloutState s = RolloutState.begin("bot", "2.0.0", "run", 1, "/plan.yaml", Slot.B, "1.0.0", null, T0)
                .withPhase(new Phase.Expanding(), T0, "test")
                .record(new RolloutEvent.ExpandRehearsed(T0, refused))
                .withPhase(new Phase.RolledBack("expand refused"), T0, "expand refused");

        assertThat(StatusView.expandRehearsal(s)).hasValueSatisfying(line -> assertThat(line)
                .startsWith("expand refused by the rehearsal: blue runs `SELECT id FROM messages JOIN chats")
                .contains("which fails on the expanded schema", "42702"));
        assertThat(StatusView.table(s, T0)).contains("Expand check");
        assertThat(s.refusedByExpandRehearsal()).isTrue();
        assertThat(Follow.stopCode(s, Follow.Stop.END)).as("as a refused changeset").isEqualTo(2);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        OutcomeReport.print(s, 2, Output.text, new java.io.PrintStream(out, true, "UTF-8"));
        assertThat(out.toString("UTF-8")).contains("REFUSED", "Nothing was changed").doesNotContain("ROLLED BACK");

        RolloutState rolledBackLater = RolloutState.begin("bot", "2.0.0", "run", 1, "/plan.yaml", Slot.B, "1.0.0", null, T0)
                .record(new RolloutEvent.ExpandRehearsed(T0, new RehearsalResult.Passed(3, 0, 0, 60)))
                .withPhase(new Phase.RolledBack("analysis failed"), T0, "analysis failed");
        assertThat(rolledBackLater.refusedByExpandRehearsal()).isFalse();
        assertThat(Follow.stopCode(rolledBackLater, Follow.Stop.END)).isEqualTo(3);
    }

    @Test
    void eachRehearsalSpeaksOfItsOwnColourAndSchema() {
        RehearsalResult passed = new RehearsalResult.Passed(4, 1, 2, 90);
        assertThat(new RolloutEvent.ExpandRehearsed(T0, passed).describe())
                .startsWith("expand rehearsal passed: 4 statement(s) blue ran").contains("expanded schema")
                .doesNotContain("green");
        assertThat(new RolloutEvent.ContractRehearsed(T0, passed).describe())
                .startsWith("contract rehearsal passed: 4 statement(s) green ran in the last 90s")
                .contains("contracted schema").doesNotContain("blue");
        assertThat(new RolloutEvent.ExpandRehearsed(T0, new RehearsalResult.Passed(4, 0, 0, -1)).describe())
                .contains("(pg_stat_statements' record)");
        assertThat(new RolloutEvent.ExpandRehearsed(T0, new RehearsalResult.Skipped("first release")).describe())
                .isEqualTo("expand rehearsal skipped: first release");
    }

    /** The contract's results are stored in existing state files: they must decode as they were written. */
    @Test
    void aContractRehearsedEventWrittenBeforeTheExpandRehearsalStillDecodes() throws Exception {
        String stored = """
                {"type":"ContractRehearsed","at":"2026-01-01T00:00:00Z","result":{"result":"refused",
                 "broken":[{"statement":"SELECT max(created_at) FROM messages","error":"ERROR: no (SQLSTATE 42703)"}],
                 "prepared":4}}""";
        RolloutEvent e = dev.botshift.rollout.RolloutStateCodec.mapper().readValue(stored, RolloutEvent.class);
        assertThat(e).isInstanceOf(RolloutEvent.ContractRehearsed.class);
        assertThat(e.describe()).startsWith("contract refused by the rehearsal: green runs `SELECT max(created_at)");

        RolloutState s = RolloutState.begin("bot", "2.0.0", "run", 1, "/plan.yaml", Slot.B, "1.0.0", null, T0)
                .record(new RolloutEvent.ExpandRehearsed(T0, new RehearsalResult.Passed(2, 0, 1, -1)))
                .record(e);
        String json = dev.botshift.rollout.RolloutStateCodec.encode(s);
        assertThat(json).contains("\"type\" : \"ExpandRehearsed\"").contains("\"result\" : \"passed\"");
        assertThat(dev.botshift.rollout.RolloutStateCodec.decode(json)).isEqualTo(s);
    }
}
