package dev.botshift.schema.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.ExitCode;
import dev.botshift.core.UnreachableException;
import dev.botshift.plan.DatabaseSpec;
import dev.botshift.schema.ChangelogRefusedException;
import dev.botshift.schema.SchemaPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Label filters, refusal before anything runs (a changelog edited between the expand and the contract is linted again
 * first: what runs is what was linted), the SQL preview, and an unreachable database.
 */
class PhaseFilterTest {
    @RegisterExtension
    static final PgFixture.PerClass pg = PgFixture.perClass();

    @org.junit.jupiter.api.io.TempDir
    Path dir;

    private static LiquibaseSchemaMigrator migrator(String url, java.nio.file.Path changelog) {
        return new LiquibaseSchemaMigrator(PgFixture.spec(url, Duration.ofMillis(500)), changelog, line -> { });
    }

    @Test
    void expandNeverRunsContractChangesetsAndViceVersa() throws Exception {
        String url = pg.freshDatabase();
        LiquibaseSchemaMigrator m = migrator(url, PgFixture.resource("phases/both.sql"));

        assertThat(m.apply(SchemaPhase.EXPAND).applied()).containsExactly("p-expand-table", "p-expand-column");
        assertThat(PgFixture.columns(url, "phased")).containsExactly("id", "old_col", "new_col");
        assertThat(PgFixture.appliedIds(url)).containsExactly("p-expand-table", "p-expand-column");

        assertThat(m.apply(SchemaPhase.CONTRACT).applied()).containsExactly("p-contract-drop");
        assertThat(PgFixture.columns(url, "phased")).containsExactly("id", "new_col");
    }

    @Test
    void contractFirstRunsOnlyContractChangesets() throws Exception {
        String url = pg.freshDatabase();
        LiquibaseSchemaMigrator m = migrator(url, PgFixture.resource("phases/both.sql"));
        // The contract changeset needs the expand table; running it alone proves the expand ones were not run.
        assertThatThrownBy(() -> m.apply(SchemaPhase.CONTRACT)).hasMessageContaining("p-contract-drop");
        assertThat(PgFixture.appliedIds(url)).isEmpty();
    }

    @Test
    void unlabelledChangesetIsRefusedBeforeAnythingRuns() throws Exception {
        String url = pg.freshDatabase();
        LiquibaseSchemaMigrator m = migrator(url, PgFixture.resource("phases/unlabelled.sql"));

        assertThatThrownBy(() -> m.apply(SchemaPhase.EXPAND))
                .isInstanceOfSatisfying(ChangelogRefusedException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
                    assertThat(e.getMessage()).contains("phase-label-missing").contains("p-unlabelled");
                });
        assertThat(PgFixture.appliedIds(url)).isEmpty();
        assertThat(PgFixture.strings(url, "SELECT to_regclass('phased')::text")).containsExactly((String) null);
    }

    @Test
    void previewShowsExpandDdlOnlyAndChangesNothing() throws Exception {
        String url = pg.freshDatabase();
        migrator(url, PgFixture.sample("changelog-v1.yaml")).apply(SchemaPhase.EXPAND);
        LiquibaseSchemaMigrator v2 = migrator(url, PgFixture.sample("changelog-v2.yaml"));

        String sql = v2.previewSql(SchemaPhase.EXPAND);

        assertThat(sql).contains("ADD COLUMN sentiment_score").contains("CREATE TABLE daily_sentiment_summary")
                .doesNotContain("SET NOT NULL").doesNotContain("CREATE TABLE user_interactions");
        assertThat(v2.previewSql(SchemaPhase.CONTRACT)).contains("SET NOT NULL").doesNotContain("sentiment_score NUMERIC");
        assertThat(PgFixture.appliedIds(url)).containsExactly("v1-001-user-interactions");
        assertThat(PgFixture.columns(url, "user_interactions")).doesNotContain("sentiment_score", "detailed_log");
        assertThat(PgFixture.strings(url, "SELECT to_regclass('daily_sentiment_summary')::text"))
                .containsExactly((String) null);
    }

    @Test
    void aPhaseWithNothingPendingRunsNoUpdateButRunAlwaysChangesetsStillRun() throws Exception {
        String url = pg.freshDatabase();
        // Expand has nothing to run here: no Liquibase update, so not even its history table is created.
        assertThat(migrator(url, PgFixture.resource("phases/contract-only.sql")).apply(SchemaPhase.EXPAND).applied())
                .isEmpty();
        assertThat(PgFixture.strings(url, "SELECT to_regclass('databasechangelog')::text")).containsExactly((String) null);

        String again = pg.freshDatabase();
        migrator(again, PgFixture.resource("phases/run-always.sql")).apply(SchemaPhase.EXPAND);
        // Nothing is pending the second time, yet a runAlways changeset is Liquibase's to run again.
        assertThat(migrator(again, PgFixture.resource("phases/run-always.sql")).apply(SchemaPhase.EXPAND).applied())
                .containsExactly("ra-count");
        assertThat(PgFixture.strings(again, "SELECT count(*)::text FROM expand_runs")).containsExactly("2");
    }

    @Test
    void unreachableDatabaseIsNamedWithoutThePassword() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        DatabaseSpec spec = new DatabaseSpec("jdbc:postgresql://127.0.0.1:" + closedPort + "/botdb", "bot",
                "s3cret-pw", "unused", null, null);
        LiquibaseSchemaMigrator m = new LiquibaseSchemaMigrator(spec, PgFixture.sample("changelog-v2.yaml"), l -> { });

        assertThatThrownBy(() -> m.apply(SchemaPhase.EXPAND))
                .isInstanceOf(UnreachableException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort + "/botdb")
                .satisfies(e -> assertThat(e.toString()).doesNotContain("s3cret-pw"));
    }

    @Test
    void aChangesetAddedAfterTheExpandIsLintedBeforeTheContractRunsAnything() throws Exception {
        String url = pg.freshDatabase();
        Path changelog = dir.resolve("changelog.sql");
        Files.copy(PgFixture.resource("phases/both.sql"), changelog);
        List<String> progress = new ArrayList<>();
        LiquibaseSchemaMigrator m = new LiquibaseSchemaMigrator(PgFixture.spec(url, Duration.ofMillis(500)), changelog,
                progress::add);
        assertThat(m.lint().refused()).isFalse();
        assertThat(m.apply(SchemaPhase.EXPAND).applied()).containsExactly("p-expand-table", "p-expand-column");

        // an unlabelled changeset matches every phase's filter: it would have run with the contract
        Files.writeString(changelog, "\n--changeset t:p-added-later\nALTER TABLE phased DROP COLUMN new_col;\n",
                StandardOpenOption.APPEND);

        assertThatThrownBy(() -> m.apply(SchemaPhase.CONTRACT)).isInstanceOfSatisfying(ChangelogRefusedException.class,
                e -> assertThat(e.getMessage()).contains("phase-label-missing", "p-added-later"));
        assertThat(PgFixture.appliedIds(url)).containsExactly("p-expand-table", "p-expand-column");
        assertThat(PgFixture.columns(url, "phased")).containsExactly("id", "old_col", "new_col");
        assertThat(progress).anySatisfy(line -> assertThat(line).contains("changed since it was linted"));
    }

    @Test
    void anUnchangedChangelogIsNotLintedAgain() throws Exception {
        String url = pg.freshDatabase();
        List<String> progress = new ArrayList<>();
        LiquibaseSchemaMigrator m = new LiquibaseSchemaMigrator(PgFixture.spec(url, Duration.ofMillis(500)),
                PgFixture.resource("phases/both.sql"), progress::add);
        m.apply(SchemaPhase.EXPAND);
        assertThat(m.apply(SchemaPhase.CONTRACT).applied()).containsExactly("p-contract-drop");
        assertThat(progress).noneSatisfy(line -> assertThat(line).contains("changed since it was linted"));
    }
}
