package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botshift.core.Slot;
import dev.botshift.demo.ChatLedger;
import dev.botshift.demo.ChatStats;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 7's "crash at any phase": under live chat traffic, {@code kill -9} the supervisor driving the rollout (and the
 * deploy following it) at each crash point, then
 * {@code botshift resume}. One database, router and chat platform serve the whole class: release 2.0.k is case k,
 * and each release brings new expand and contract changesets, so every case has schema work to do (slow ones,
 * {@code pg_sleep}, where the kill lands while one runs).
 */
class CrashResumeIT extends LiveBaseline {
    private static final String APP = "sentiment-bot";
    private static final int SLOW_SECONDS = 1;
    private static final int ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicInteger release = new AtomicInteger();

    @Override
    int baselineReplicas() {
        return 2;
    }

    static Stream<CrashPoint> crashPoints() {
        return CrashPoint.all().stream();
    }

    @ParameterizedTest(name = "kill -9 the supervisor and the deploy {0}, then resume")
    @MethodSource("crashPoints")
    void killedDeployResumesToSuccess(CrashPoint point) throws Exception {
        recoverFromAnEarlierFailure();
        String version = null;
        PlanFile plan = null;
        RolloutState after = null;
        // A short phase (tearing down lasts tens of ms) can end between seeing it and the kill landing; the
        // release then simply succeeded, and the next release tries again.
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            int k = release.incrementAndGet();
            version = "2.0." + k;
            chats.mark(version);
            plan = rig.plan(version, rig.changelogs.v2WithSlow(k, point.slow() ? SLOW_SECONDS : 0)).replicas(2)
                    .steps(point.steps()).stepDuration("1s").bake("1s") // the crash points need each phase, not its length
                    .postContract("0s"); // no crash point lies in the post-contract watch
            Cli.Run deploy = rig.start("deploy", "-f", rig.write(plan).toString());
            String target = version;
            rig.awaitState(APP, s -> s.release().equals(target) && point.reached(probe(s)),
                    Duration.ofSeconds(90), version + " reaching " + point);
            rig.killSupervisor(APP); // what drives the rollout, then the command that followed it
            deploy.kill9();
            after = rig.state(APP).orElseThrow();
            if (after.phase().code().equals(point.phase()) || !(after.phase() instanceof Phase.Succeeded)) {
                break;
            }
        }
        assertThat(after.phase().code()).as("the deploy was killed in %s", point.phase()).isEqualTo(point.phase());
        long acknowledgedAtKill = chats.stats().acknowledged();

        Cli.Result resumed = rig.run(Duration.ofSeconds(120), "resume", APP);
        assertThat(resumed.exitCode()).as("%s", resumed).isZero();
        RolloutState end = rig.state(APP).orElseThrow();
        assertThat(end.phase()).isInstanceOf(Phase.Succeeded.class);
        assertThat(end.release()).isEqualTo(version);
        assertThat(chats.stats().acknowledged()).as("traffic went on across the crash").isGreaterThan(acknowledgedAtKill);

        assertEachChangesetOnce(release.get());
        assertThat(SchemaChecks.heldLiquibaseLocks(rig.dbEnv)).as("Liquibase lock rows left LOCKED").isZero();
        rig.awaitSupervisorGone(APP, Duration.ofSeconds(15)); // it exits once the rollout it drove has ended
        assertOnlyStableColourAndRouterRun(end.candidate(), plan);
        assertAcknowledgedUpdatesStoredOnce();
        assertThat(chats.stats().maxSlotSwitches().getOrDefault(version, 0))
                .as("colour switches of one chat while promoting %s", version).isLessThanOrEqualTo(1);
    }

    private CrashPoint.Probe probe(RolloutState s) {
        return new CrashPoint.Probe() {
            @Override
            public RolloutState state() {
                return s;
            }

            @Override
            public boolean slowChangesetRunning() {
                try {
                    return SchemaChecks.slowChangesetRunning(rig.dbEnv);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public int candidateInstances() {
                return recordedPids(s.candidate()).size();
            }
        };
    }

    /** A failed earlier case must not fail every later one: finish whatever it left. */
    private void recoverFromAnEarlierFailure() throws InterruptedException {
        RolloutState s = rig.state(APP).orElseThrow();
        if (!s.phase().terminal()) {
            rig.run(Duration.ofSeconds(120), "resume", APP);
        }
    }

    private void assertEachChangesetOnce(int k) throws SQLException {
        List<String> ids = SchemaChecks.recordedIds(rig.dbEnv);
        assertThat(ids).as("changesets in DATABASECHANGELOG").doesNotHaveDuplicates();
        List<String> expected = new ArrayList<>(List.of("v1-001-user-interactions"));
        expected.addAll(Changelogs.expectedIds(k));
        assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
    }

    private void assertOnlyStableColourAndRouterRun(Slot stable, PlanFile plan) {
        Set<Long> expected = new HashSet<>(recordedPids(stable));
        assertThat(expected).as("%s processes", stable.label()).hasSize(2);
        expected.add(routerPid());
        Set<Long> running = new HashSet<>();
        Leftovers.processes(rig.marker, rig.stateDir).forEach(p -> running.add(p.pid()));
        assertThat(running).as("live bot and router processes:\n%s",
                Leftovers.describe(Leftovers.processes(rig.marker, rig.stateDir))).isEqualTo(expected);
    }

    private void assertAcknowledgedUpdatesStoredOnce() throws SQLException {
        ChatStats stats = chats.stats();
        try (Connection c = Pg.connect(rig.dbEnv)) {
            ChatLedger ledger = ChatLedger.of(stats.acknowledgedIds(), c);
            assertThat(ledger.lost()).as("acknowledged updates missing from the database").isEmpty();
            assertThat(ledger.duplicated()).as("updates stored twice").isEmpty();
        }
    }

    private List<Long> recordedPids(Slot slot) {
        Path file = rig.stateDir.resolve(APP).resolve("workloads").resolve(slot.label() + ".json");
        List<Long> pids = new ArrayList<>();
        if (Files.exists(file)) {
            try {
                JSON.readTree(file.toFile()).path("instances").forEach(i -> pids.add(i.path("pid").asLong()));
            } catch (IOException e) {
                return pids; // being replaced right now
            }
        }
        return pids;
    }

    private long routerPid() {
        Path file = rig.stateDir.resolve(APP).resolve("router").resolve("router-process.json");
        try {
            JsonNode node = JSON.readTree(file.toFile());
            return node.path("pid").asLong();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }
}
