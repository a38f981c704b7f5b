package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botshift.core.Slot;
import dev.botshift.demo.ChatLedger;
import dev.botshift.demo.ChatStats;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutState;
import dev.botshift.traffic.router.RouterSpare;
import dev.botshift.supervise.local.SupervisorSpare;
import dev.botshift.workload.local.RecordedInstances;
import java.io.IOException;
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
 * command following it) at each crash point, then {@code botshift resume}. The points come in chains ({@link
 * CrashChain}): one release is killed at each point of its chain in turn, each time resumed by a new supervisor, and
 * the last resume must end it SUCCEEDED. One database, router and chat platform serve the whole class: release 2.0.k
 * is the k-th release, and each brings new expand and contract changesets, so every release has schema work to do
 * (slow ones, {@code pg_sleep}, where a kill lands while one runs).
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

    static Stream<CrashChain> chains() {
        return CrashChain.all().stream();
    }

    @ParameterizedTest(name = "kill -9 the supervisor and its follower at each of {0}, resuming each time")
    @MethodSource("chains")
    void killedRolloutResumesToSuccess(CrashChain chain) throws Exception {
        recoverFromAnEarlierFailure();
        List<CrashPoint> left = new ArrayList<>(chain.points());
        List<String> killed = new ArrayList<>();
        // A short phase (tearing down lasts tens of ms) can end between seeing it and the kill landing, or pass
        // unseen: that release then goes on to its end, and the next release tries the points not yet killed in.
        for (int attempt = 1; attempt <= ATTEMPTS && !left.isEmpty(); attempt++) {
            int k = release.incrementAndGet();
            String version = "2.0." + k;
            chats.mark(version);
            PlanFile plan = rig.plan(version, rig.changelogs.v2WithSlow(k, chain.slow() ? SLOW_SECONDS : 0))
                    .replicas(2).steps(chain.steps()).stepDuration("1s").bake("1s") // each phase, not its length
                    .postContract("0s"); // no crash point lies in the post-contract watch
            Cli.Run follower = rig.start("deploy", "-f", rig.write(plan).toString());
            for (CrashPoint point : List.copyOf(left)) {
                RolloutState seen = awaitPoint(version, point, follower);
                if (seen.phase().terminal()) {
                    break; // passed unseen
                }
                rig.killSupervisor(APP); // what drives the rollout, then the command that followed it
                follower.kill9();
                RolloutState after = rig.state(APP).orElseThrow();
                if (after.phase().terminal()) {
                    // it ended between the look and the kill: the follower was killed after the end (exit 137), and
                    // the stored state below says how the release ended; resume starts the supervisor that guards it
                    follower = rig.start("resume", APP);
                    break;
                }
                if (after.phase().code().equals(point.phase())) {
                    left.remove(point);
                    killed.add(point + " of " + version);
                }
                long acknowledgedAtKill = chats.stats().acknowledged();
                follower = rig.start("resume", APP);
                awaitTrafficPast(acknowledgedAtKill, point);
            }
            if (follower != null) {
                Cli.Result ended = follower.await(Duration.ofSeconds(120));
                assertThat(ended.exitCode()).as("%s", ended).isZero();
            }
            RolloutState end = rig.state(APP).orElseThrow();
            assertThat(end.phase()).isInstanceOf(Phase.Succeeded.class);
            assertThat(end.release()).isEqualTo(version);

            assertEachChangesetOnce(release.get());
            assertThat(SchemaChecks.heldLiquibaseLocks(rig.dbEnv)).as("Liquibase lock rows left LOCKED").isZero();
            assertOnlyStableColourAndRouterServe(end.candidate());
            assertAcknowledgedUpdatesStoredOnce();
            assertThat(chats.stats().maxSlotSwitches().getOrDefault(version, 0))
                    .as("colour switches of one chat while promoting %s", version).isLessThanOrEqualTo(1);
        }
        assertThat(left).as("crash points never killed in (killed in: %s)", killed).isEmpty();
    }

    private RolloutState awaitPoint(String version, CrashPoint point, Cli.Run follower) throws InterruptedException {
        try {
            return rig.awaitState(APP, s -> s.release().equals(version)
                    && (s.phase().terminal() || point.reached(probe(s))), Duration.ofSeconds(90),
                    version + " reaching " + point);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nthe follower: " + follower.describe(), e);
        }
    }

    /** The router serves while nothing drives the rollout: updates are acknowledged after the kill. */
    private void awaitTrafficPast(long acknowledged, CrashPoint point) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (chats.stats().acknowledged() <= acknowledged) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no update acknowledged within 10 s of the kill " + point);
            }
            Thread.sleep(20);
        }
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
                return RecordedInstances.pids(rig.stateDir, APP, s.candidate()).size();
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

    /**
     * The stable colour's two bots and the router are all that serve (blue torn down, no orphan of a killed
     * supervisor); besides them only the supervisor, which guards them now that the rollout has ended, its spare and
     * the router's spare.
     */
    private void assertOnlyStableColourAndRouterServe(Slot stable) {
        Set<Long> expected = new HashSet<>(RecordedInstances.pids(rig.stateDir, APP, stable));
        assertThat(expected).as("%s processes", stable.label()).hasSize(2);
        expected.add(routerPid());
        long supervisor = rig.supervisor(APP).pid();
        List<ProcessHandle> live = Leftovers.processes(rig.marker, rig.stateDir);
        Set<Long> serving = new HashSet<>();
        live.stream().filter(p -> p.pid() != supervisor
                        && !p.info().commandLine().orElse("").contains(RouterSpare.STANDBY_OPTION)
                        && !p.info().commandLine().orElse("").contains(SupervisorSpare.SPARE_NAME))
                .forEach(p -> serving.add(p.pid()));
        assertThat(serving).as("live bot and router processes:\n%s", Leftovers.describe(live)).isEqualTo(expected);
    }

    private void assertAcknowledgedUpdatesStoredOnce() throws SQLException {
        ChatStats stats = chats.stats();
        try (Connection c = Pg.connect(rig.dbEnv)) {
            ChatLedger ledger = ChatLedger.of(stats.acknowledgedIds(), c);
            assertThat(ledger.lost()).as("acknowledged updates missing from the database").isEmpty();
            assertThat(ledger.duplicated()).as("updates stored twice").isEmpty();
        }
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
