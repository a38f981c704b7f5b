package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.ExitCode;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, the expand side: a release whose expand renames a column blue (1.0.0 of the sample bot) writes on every
 * update, its linter finding accepted. The expand rehearsal, run before any changeset against the statements on
 * record in pg_stat_statements, refuses it: deploy exits 2 as for a refused changeset, no changeset of the release is
 * recorded, the column keeps its name and blue keeps serving (nothing sent is lost: checked at the end of the class).
 */
class ExpandRehearsalIT extends LiveBaseline {
    private static final String APP = "sentiment-bot";

    @Test
    void anExpandThatBreaksWhatBlueRunsIsRefusedBeforeAnyChangesetRuns() throws Exception {
        awaitBlueWrote();
        PlanFile plan = rig.plan("2.0.0", rig.changelogs.v2WithAnExpandBlueCannotSurvive()).steps("[50, 100]");

        Cli.Result refused = rig.deploy(plan, ExitCode.INVALID_INPUT);

        assertThat(refused.stdout() + refused.stderr()).contains("expand refused by the rehearsal: blue runs `INSERT "
                + "INTO user_interactions").contains("message_text").contains("42703");
        RolloutState s = rig.state(APP).orElseThrow();
        assertThat(s.phase()).isInstanceOf(Phase.RolledBack.class);
        assertThat(s.refusedByExpandRehearsal()).isTrue();
        assertThat(SchemaChecks.recordedIds(rig.dbEnv)).as("no changeset of 2.0.0 ran").doesNotContain("bad-expand");
        assertThat(columnExists("message_text")).as("the column keeps its name").isTrue();
        assertThat(rig.router(APP).config().backendsOf(s.stable())).as("blue still serves").isNotEmpty();
        assertThat(rig.router(APP).config().backendsOf(s.candidate())).as("green never started").isEmpty();
    }

    /** Blue's INSERT must be on record before the rehearsal reads it: wait for a stored update. */
    private void awaitBlueWrote() throws Exception {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(60));
        while (count("SELECT count(*) FROM user_interactions") == 0) {
            assertThat(Instant.now()).as("blue stored an update within 60s").isBefore(giveUp);
            Thread.sleep(200);
        }
    }

    private boolean columnExists(String column) throws Exception {
        return count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'user_interactions' "
                + "AND column_name = '" + column + "'") == 1;
    }

    private long count(String sql) throws Exception {
        try (Connection c = Pg.connect(rig.dbEnv); ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
