package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.ExitCode;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 18, both sides of the point of no return. First a release whose contract drops a table its own code still
 * writes: the linter passes it (a DROP TABLE is what a contract is for); the rehearsal, run before the point of no
 * return against the statements green really ran (pg_stat_statements), refuses it: the rollout holds before anything
 * of blue stops, the table stays, both versions keep serving, and abort brings blue back. Then a release whose
 * rehearsal passes and whose green fails only after its contract, which no rehearsal can see: the post-contract watch
 * ends it FAILED (exit 7), never SUCCEEDED, and the runbook's forward fix finishes it. Nothing sent meanwhile is lost
 * (checked at the end of the class).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContractRehearsalIT extends LiveBaseline {
    private static final String APP = "sentiment-bot";

    @Test
    @Order(1)
    void aContractThatBreaksWhatGreenRunsIsRefusedBeforeThePointOfNoReturn() throws Exception {
        PlanFile plan = rig.plan("2.0.0", rig.changelogs.v2WithAContractGreenCannotSurvive()).steps("[50, 100]");

        Cli.Result held = rig.deploy(plan, ExitCode.FAILED);

        assertThat(held.stdout() + held.stderr()).contains("daily_sentiment_summary");
        RolloutState s = rig.state(APP).orElseThrow();
        assertThat(s.phase()).isInstanceOfSatisfying(Phase.Failed.class,
                f -> assertThat(f.reason()).contains("daily_sentiment_summary"));
        try (Connection c = Pg.connect(rig.dbEnv);
             ResultSet r = c.createStatement().executeQuery("SELECT to_regclass('daily_sentiment_summary')")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).as("the table the contract would drop").isNotNull();
        }
        assertThat(rig.router(APP).config().backendsOf(s.stable())).as("blue still runs").isNotEmpty();
        assertThat(rig.router(APP).config().backendsOf(s.candidate())).as("green still serves").isNotEmpty();

        Rig.expect(ExitCode.ROLLED_BACK, rig.run(Duration.ofSeconds(120), "abort", APP));
        assertThat(rig.state(APP).orElseThrow().phase()).isInstanceOf(Phase.RolledBack.class);
    }

    @Test
    @Order(2)
    void aGreenThatFailsOnlyAfterTheContractIsNeverReportedAsSuccess() throws Exception {
        Path fault = rig.root.resolve("fault-after-contract");
        PlanFile plan = rig.plan("2.0.1", rig.changelogs.v2()).steps("[50, 100]").postContract("15s")
                .env("BOT_FAULT_RATE", "0.5").env("BOT_FAULT_FILE", fault.toString());
        Cli.Run deploy = rig.start("deploy", "-f", rig.write(plan).toString());
        rig.awaitState(APP, s -> s.release().equals("2.0.1") && s.phase() instanceof Phase.WatchingAfterContract,
                Duration.ofSeconds(120), "2.0.1 watched after its contract");
        Files.createFile(fault); // what the rehearsal could not see: a fault that begins after the contract

        Cli.Result watched = Rig.expect(ExitCode.FAILED, deploy.await(Duration.ofSeconds(60)));
        String followed = watched.stdout() + watched.stderr(); // the final line, then the events as they came
        assertThat(followed).as("the rehearsal ran and passed before the contract").contains("contract rehearsal passed");
        assertThat(followed).contains("green failed after the contract").doesNotContain("SUCCEEDED");
        RolloutState failed = rig.state(APP).orElseThrow();
        assertThat(failed.phase()).isInstanceOfSatisfying(Phase.Failed.class,
                f -> assertThat(f.resumeTo()).isInstanceOf(Phase.WatchingAfterContract.class));
        assertThat(SchemaChecks.recordedIds(rig.dbEnv)).as("the contract ran").contains("v2-004-not-null");
        Cli.Result status = rig.run(Duration.ofSeconds(30), "status", APP);
        assertThat(status.stdout()).contains("FAILED").doesNotContain("SUCCEEDED");
        // no way back past the contract
        Rig.expect(ExitCode.INVALID_INPUT, rig.run(Duration.ofSeconds(30), "abort", APP));

        // the runbook's forward fix: once green is healthy again, resume watches again and finishes
        Files.delete(fault);
        Rig.expect(ExitCode.OK, rig.run(Duration.ofSeconds(120), "resume", APP));
        RolloutState end = rig.state(APP).orElseThrow();
        assertThat(end.phase()).isInstanceOf(Phase.Succeeded.class);
        assertThat(end.release()).isEqualTo("2.0.1");
    }
}
