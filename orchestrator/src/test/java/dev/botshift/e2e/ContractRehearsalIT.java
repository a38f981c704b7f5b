package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.ExitCode;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: a release whose contract drops a table its own code still writes. The linter passes it (a DROP TABLE is
 * what a contract is for); the rehearsal, run before the point of no return against the statements green really ran
 * (pg_stat_statements), refuses it: the rollout holds before anything of blue stops, the table stays, both versions
 * keep serving, and abort brings blue back. Nothing sent meanwhile is lost (checked at the end of the class).
 */
class ContractRehearsalIT extends LiveBaseline {
    private static final String APP = "sentiment-bot";

    @Test
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
}
