package dev.botshift.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.analysis.MetricsProvider;
import dev.botshift.analysis.Observation;
import dev.botshift.core.Slot;
import dev.botshift.plan.DatabaseSpec;
import dev.botshift.rollout.ManualCommands;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.Request;
import dev.botshift.schema.liquibase.LiquibaseSchemaMigrator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database goes away when the expand runs: the run fails cleanly (FAILED, the endpoint named, no password, blue
 * untouched), and once the database is back {@code resume} completes it with every changeset recorded once.
 */
class DatabaseOutageTest {
    @TempDir
    Path stateDir;
    @TempDir
    Path dataDir;

    static final MetricsProvider NO_METRICS = target -> new Observation.NoData("no traffic in this test");

    @Test
    void expandFailsCleanlyWhileTheDatabaseIsDownAndResumeCompletesIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String password = "S3cret-canary-outage-1234";
        DatabaseSpec spec = new DatabaseSpec("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", password,
                "changelog-v2.yaml", Duration.ofMillis(500), Duration.ofSeconds(20));
        LiquibaseSchemaMigrator schema = new LiquibaseSchemaMigrator(spec, CorpusWorkspace.REPO
                .resolve("examples/sentiment-bot/db/changelog-v2.yaml"), line -> { });
        OutageRig rig = new OutageRig(stateDir);

        // the database was started once (initialised) and is down when the deploy runs
        database(port).close();
        rig.deploy("1.0.0");
        Outcome failed = rig.run(schema, NO_METRICS, false);

        assertThat(failed).isInstanceOf(Outcome.Failed.class);
        String reason = ((Outcome.Failed) failed).reason();
        assertThat(reason).contains("127.0.0.1:" + port + "/postgres").contains("cannot be reached")
                .doesNotContain(password);
        assertThat(rig.state().phase()).isInstanceOf(Phase.Failed.class);
        assertThat(rig.workloads.running(Slot.A) + rig.workloads.running(Slot.B)).as("nothing started")
                .isZero();

        try (EmbeddedPostgres back = database(port)) {
            ManualCommands.append(rig.store, OutageRig.APP, Request.Kind.RESUME, "tester", rig.clock.instant());
            assertThat(rig.run(schema, NO_METRICS, false)).isInstanceOf(Outcome.Succeeded.class);
            try (Connection c = DriverManager.getConnection(spec.url(), "postgres", "");
                 ResultSet rs = c.createStatement().executeQuery(
                         "SELECT count(*), count(DISTINCT id || author || filename) FROM databasechangelog")) {
                rs.next();
                assertThat(rs.getInt(1)).as("changesets applied").isPositive();
                assertThat(rs.getInt(2)).as("each recorded exactly once").isEqualTo(rs.getInt(1));
            }
        }
    }

    private EmbeddedPostgres database(int port) throws java.io.IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port).start();
    }
}
