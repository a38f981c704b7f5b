package dev.botshift.platform;

import static dev.botshift.platform.ClusterDeploy.shifts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.kubernetes.ApiAccess;
import dev.botshift.kubernetes.Names;
import dev.botshift.kubernetes.testing.ApiRequests;
import dev.botshift.kubernetes.testing.Eventually;
import dev.botshift.kubernetes.testing.Kubelet;
import dev.botshift.kubernetes.testing.MockCluster;
import dev.botshift.kubernetes.testing.QuietMockServer;
import dev.botshift.kubernetes.testing.RoleRules;
import dev.botshift.plan.Plan;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutStart;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.state.AppLock;
import dev.botshift.state.LockHeldException;
import dev.botshift.state.LockLostException;
import dev.botshift.state.StateStore;
import dev.botshift.state.kubernetes.ConfigMapStateStore;
import dev.botshift.supervise.Controller;
import dev.botshift.testing.ScaledClock;
import dev.botshift.testing.Slow;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas of {@code botshift controller} ({@link ControllerReplica}: the real {@link Controller}, its drivers
 * and {@link KubernetesPlatform}'s real adapters) against one Fabric8 CRUD mock with the kubelet fixture and a
 * scripted Prometheus, on a clock running {@value #SPEED} times real time. Releases are submitted as
 * {@code botshift deploy} submits them (a fresh rollout written under the app's Lease) and nobody follows them:
 * only the controller drives. Every request the replicas make must pass {@code manifests/controller/rbac.yaml}.
 */
@Slow
class ControllerTest extends MockCluster {
    private static final String APP = "sentiment-bot";
    private static final int SPEED = 3;
    private static final Duration LEADERSHIP = Duration.ofSeconds(10);
    /** What {@link RolloutSession} makes of the plans' 1 s interval: its minimum lock ttl. */
    private static final Duration APP_LOCK = Duration.ofSeconds(15);
    private static final Duration REAL_LIMIT = Duration.ofSeconds(90);
    @AutoClose
    private final ScriptedPrometheus prometheus = new ScriptedPrometheus();

    @TempDir
    Path dir;

    private final RecordingSchema schema = new RecordingSchema();
    private final ScaledClock clock = new ScaledClock(Instant.parse("2026-03-01T10:00:00Z"), SPEED);
    private final List<ControllerReplica> replicas = new ArrayList<>();
    private KubernetesClient admin;
    private Kubelet kubelet;
    private KubernetesPlans plans;

    @BeforeAll
    static void quietMockServer() {
        QuietMockServer.warningsOnly();
    }

    @BeforeEach
    void cluster() throws Exception {
        admin = ApiRequests.fixtureClient(client);
        kubelet = Kubelet.start(admin, NS, new Kubelet.Policy.Ready());
        plans = new KubernetesPlans(dir, prometheus.url());
        prometheus.errorRate(Slot.A, 0.01);
        prometheus.errorRate(Slot.B, 0.01);
        RouterCase.BOTSHIFT.install(admin, NS);
    }

    @AfterEach
    void everyCallPassesTheControllersRole() throws Exception {
        // loops and drivers first, then the kubelet's writes, then the watches: the CRUD mock blocks on a watch event
        // for a watch whose client went away
        for (ControllerReplica r : replicas) {
            r.stop();
            System.out.println("--- " + r.name + "'s log\n" + r.log());
        }
        if (kubelet != null) {
            kubelet.close();
        }
        for (ControllerReplica r : replicas) {
            r.close();
        }
        admin.close();
        Set<ApiRequests.Call> calls = ApiRequests.drainCalls(server);
        var role = RoleRules.role(KubernetesPlans.REPO.resolve("manifests/controller/rbac.yaml"), "botshift-controller");
        assertThat(calls).as("the replicas' requests").isNotEmpty()
                .allSatisfy(c -> assertThat(RoleRules.allows(role, c)).as("allowed by the controller's Role: " + c)
                        .isTrue());
        assertThat(calls).extracting(ApiRequests.Call::grant).as("the informer on the state ConfigMaps")
                .containsAll(ApiAccess.CONTROLLER_INFORMER).containsAll(ApiAccess.CONTROLLER_LEASE_WATCH);
    }

    private Plan plan(String release) {
        return plans.plan(release, "botshift", RouterCase.BOTSHIFT.steps);
    }

    private ControllerReplica replica(String name) {
        ControllerReplica r = new ControllerReplica(name, client, NS, s -> plan(s.release()), schema, clock, LEADERSHIP);
        replicas.add(r);
        return r.start();
    }

    private StateStore cli() {
        return new ConfigMapStateStore(admin, NS, clock, clock::sleep);
    }

    private RolloutState state() {
        return cli().read(APP).map(v -> RolloutStateCodec.decode(v.json())).orElse(null);
    }

    private String leader() {
        Lease lease = admin.leases().inNamespace(NS).withName(Names.lockLease(Controller.LEADERSHIP)).get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    /** As {@code botshift deploy} submits: under the app's Lease, a fresh rollout of {@code release}; then it leaves. */
    private void submit(String release) throws InterruptedException {
        Instant giveUp = Instant.now().plusSeconds(10);
        while (true) {
            StateStore cli = cli();
            try (AppLock lock = cli.lock(APP, "botshift deploy (test)", APP_LOCK)) {
                RolloutStart start = RolloutStart.decide(state(), APP, release, plan(release).source().toString(),
                        "run-" + release, clock.instant());
                cli.write(APP, RolloutStateCodec.encode(((RolloutStart.Fresh) start).state()),
                        cli.read(APP).map(StateStore.Versioned::version).orElse(null), lock);
                return;
            } catch (LockHeldException finishing) {
                // the last rollout's driver is releasing the app's Lease
                assertThat(Instant.now()).as("the app's Lease is released after a rollout ended").isBefore(giveUp);
                Thread.sleep(50);
            }
        }
    }

    private RolloutState await(String what, Predicate<RolloutState> condition) {
        Eventually.await(REAL_LIMIT, what, () -> {
            RolloutState s = state();
            return s != null && condition.test(s);
        });
        return state();
    }

    private static boolean at(RolloutState s, String release, Class<? extends Phase> phase) {
        return s.release().equals(release) && phase.isInstance(s.phase());
    }

    private static boolean shifting(RolloutState s, String release, int step) {
        return s.release().equals(release) && s.phase() instanceof Phase.Shifting sh && sh.step() >= step;
    }

    /** Both replicas up, A leading, 1.0.0 live (driven by A alone), 2.0.0 submitted and past its first shift. */
    private void midShiftOfTwoWithALeading(ControllerReplica a, ControllerReplica b) {
        try {
            submit("1.0.0");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        await("1.0.0 live", s -> at(s, "1.0.0", Phase.Succeeded.class));
        schema.applied.clear();
        try {
            submit("2.0.0");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        await("2.0.0 past its first shift", s -> shifting(s, "2.0.0", 1));
        assertThat(leader()).isEqualTo(a.name);
        assertThat(a.writes).as("the leader drives").isNotEmpty();
        assertThat(b.appLocks).as("the standby took no app's Lease").isEmpty();
        assertThat(b.writes).as("the standby wrote no state").isEmpty();
        assertThat(b.controller.driving()).isEmpty();
        assertThat(a.controller.healthy()).as("/healthz of the leader").isTrue();
        assertThat(b.controller.healthy()).as("/healthz of the standby: ready too").isTrue();
    }

    /** What {@link #takeoverAfter} saw: the two replicas, when A's fault struck, and the rollout B finished. */
    private record Takeover(ControllerReplica a, ControllerReplica b, Instant faultAt, RolloutState done) {
    }

    /** {@link #midShiftOfTwoWithALeading}, then {@code fault} strikes A and B finishes 2.0.0 as the leader. */
    private Takeover takeoverAfter(Consumer<ControllerReplica> fault) {
        ControllerReplica a = replica("controller-a");
        Eventually.await(Duration.ofSeconds(10), "controller-a leads", () -> a.name.equals(leader()));
        ControllerReplica b = replica("controller-b");
        midShiftOfTwoWithALeading(a, b);

        Instant faultAt = clock.instant();
        fault.accept(a);
        RolloutState done = await("2.0.0 finished by controller-b", s -> at(s, "2.0.0", Phase.Succeeded.class));

        assertThat(leader()).isEqualTo(b.name);
        return new Takeover(a, b, faultAt, done);
    }

    private void assertFinishedOnce(RolloutState s) {
        assertThat(schema.applied).as("each schema effect exactly once").containsExactly(SchemaPhase.EXPAND,
                SchemaPhase.CONTRACT);
        assertThat(shifts(s)).as("each traffic step once").containsExactly(new Weights(90, 10), new Weights(75, 25),
                new Weights(50, 50), Weights.allTo(Slot.B));
        assertThat(admin.apps().deployments().inNamespace(NS).withName(Names.slotObject(APP, Slot.A)).get())
                .as("blue torn down").isNull();
        assertThat(admin.apps().deployments().inNamespace(NS).withName(Names.slotObject(APP, Slot.B)).get()
                .getMetadata().getLabels()).containsEntry(Names.VERSION_LABEL, "2.0.0");
        Lease appLease = admin.leases().inNamespace(NS).withName(Names.lockLease(APP)).get();
        assertThat(appLease.getSpec().getLeaseTransitions()).as("the app's Lease changed hands").isPositive();
    }

    @AfterEach
    void timing(TestInfo info) {
        System.out.println("ControllerTest: " + info.getDisplayName() + " reached " + clock.instant()
                + " on the test clock");
    }

    @Test
    void onlyTheLeaderDrivesAndTheStandbyFinishesTheRolloutOnceTheDeadLeadersLeasesExpired() {
        Takeover seen = takeoverAfter(ControllerReplica::kill);
        ControllerReplica a = seen.a();
        ControllerReplica b = seen.b();
        assertThat(b.writes).isNotEmpty();
        Instant takenOver = b.writes.get(0);
        assertThat(a.writes).as("never two writers: all of A's writes came before B's first")
                .allMatch(t -> t.isBefore(takenOver));
        Duration takeover = Duration.between(seen.faultAt(), takenOver);
        System.out.println("ControllerTest: controller-b wrote " + takeover.toMillis() + " ms (test clock) after "
                + "controller-a died");
        // B, standing by, notes every Lease each round (3.3 s): it leads once the leadership Lease has stood
        // unchanged for 10 s as B saw it, and takes the app's Lease once that has stood unchanged for 15 s as B saw
        // it, both counted from B's first sighting, so the two waits overlap: about 15 s plus a round or two. Counted
        // from when B starts to watch each (before), they came one after the other: at least 31.7 s (34-37 s
        // measured). The real time the calls take runs {@value #SPEED} times faster here.
        assertThat(takeover).as("not before the dead leader's app Lease expired (renewed every 5 s, lasting 15 s)")
                .isGreaterThanOrEqualTo(APP_LOCK.minusSeconds(5))
                .as("and within the app Lease's duration, a round or two and the calls' time")
                .isLessThan(Duration.ofSeconds(30));
        assertFinishedOnce(seen.done());
        Eventually.await(Duration.ofSeconds(10), "the dead replica's threads end", () -> !a.running());
        assertThat(a.controller.healthy()).as("/healthz of a replica whose loop stopped (liveness restarts it)")
                .isFalse();
        assertThat(b.controller.healthy()).isTrue();
    }

    @Test
    void aReplicaWhoseLeaseRenewalsFailStopsActingAndTheOtherFinishes() throws Exception {
        Takeover seen = takeoverAfter(ControllerReplica::failRenewals);
        ControllerReplica a = seen.a();
        ControllerReplica b = seen.b();
        Instant takenOver = b.writes.get(0);
        assertThat(a.writes).as("A stopped writing within its app Lease's duration of its last renewal")
                .allMatch(t -> t.isBefore(seen.faultAt().plus(APP_LOCK)))
                .as("never two writers").allMatch(t -> t.isBefore(takenOver));
        assertThat(a.running()).as("it lives on as a standby").isTrue();
        assertThat(a.controller.driving()).isEmpty();
        assertThat(a.log()).contains("could not renew the leadership", "stopped leading");
        assertFinishedOnce(seen.done());

        // a write by A's last app lock now (a paused process waking up) is refused by the fence, nothing written
        StateStore.Versioned before = cli().read(APP).orElseThrow();
        assertThatThrownBy(() -> a.store.write(APP, before.json(), before.version(), a.appLocks.get(a.appLocks.size() - 1)))
                .isInstanceOf(LockLostException.class).hasMessageContaining("held by");
        assertThat(cli().read(APP).orElseThrow().version()).isEqualTo(before.version());
    }
}
