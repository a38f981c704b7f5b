package dev.botshift.platform;

import dev.botshift.testing.MutableClock;
import static dev.botshift.platform.ClusterDeploy.shifts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.Slot;
import dev.botshift.core.ExitCode;
import dev.botshift.core.Weights;
import dev.botshift.kubernetes.Names;
import dev.botshift.kubernetes.testing.ApiRequests;
import dev.botshift.kubernetes.testing.Kubelet;
import dev.botshift.kubernetes.testing.MockCluster;
import dev.botshift.kubernetes.testing.QuietMockServer;
import dev.botshift.plan.Plan;
import dev.botshift.rollout.ManualCommands;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutState;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.state.LockHeldException;
import dev.botshift.state.StateStore;
import dev.botshift.testing.Slow;
import dev.botshift.traffic.WeightCheck;
import dev.botshift.workload.kubernetes.KubernetesWorkloads;
import dev.botshift.workload.kubernetes.KubernetesWorkloadsConfig;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The embedded default's scenarios on the Kubernetes platform: {@link KubernetesPlatform}'s real adapters and a real
 * {@link dev.botshift.rollout.RolloutRunner} against Fabric8's CRUD mock, the kubelet fixture and a scripted
 * Prometheus. Every request Botshift makes is recorded and checked against the controller's Role,
 * {@code manifests/controller/rbac.yaml} ({@link RbacUsage}).
 */
@Slow
class KubernetesRolloutTest extends MockCluster {
    private static final String APP = "sentiment-bot";
    @AutoClose
    private final ScriptedPrometheus prometheus = new ScriptedPrometheus();

    @TempDir
    Path dir;

    private KubernetesClient admin;
    private Kubelet kubelet;
    private volatile boolean greenNeverReady;
    private final RecordingSchema schema = new RecordingSchema();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private KubernetesPlans plans;
    private ClusterDeploy deploy;

    @BeforeAll
    static void quietMockServer() {
        QuietMockServer.warningsOnly();
    }

    @AfterAll
    static void everyCallGranted() throws Exception {
        RbacUsage.assertGranted();
    }

    @BeforeEach
    void cluster() throws Exception {
        admin = ApiRequests.fixtureClient(client);
        kubelet = Kubelet.start(admin, NS, d -> greenNeverReady && d.getMetadata().getName().endsWith("-b")
                ? new Kubelet.Policy.NeverReady(Duration.ofMillis(300)) : new Kubelet.Policy.Ready());
        plans = new KubernetesPlans(dir, prometheus.url());
        deploy = new ClusterDeploy(client, schema, clock);
        prometheus.errorRate(Slot.A, 0.01);
        prometheus.errorRate(Slot.B, 0.01);
    }

    @AfterEach
    void recordApiUse() throws Exception {
        deploy.close();
        kubelet.close();
        admin.close();
        RbacUsage.record(ApiRequests.drainCalls(server));
    }

    /** Release 1.0.0 is live on blue, through {@code router}. */
    private void stableV1(RouterCase router) throws Exception {
        router.install(admin, NS);
        Outcome first = deploy.run(plans.plan("1.0.0", router.type, router.steps), "deploy 1.0.0");
        assertThat(first).isInstanceOf(Outcome.Succeeded.class);
        schema.applied.clear();
    }

    private Deployment deployment(Slot slot) {
        return admin.apps().deployments().inNamespace(NS).withName(Names.slotObject(APP, slot)).get();
    }

    private RolloutState stored() {
        return ClusterDeploy.state(deploy.store(plans.base()), APP);
    }

    /** What the router in force says, asked through a fresh platform's adapter after the controller took it. */
    private WeightCheck trafficCheck(RouterCase router, Plan plan, Weights expected) {
        router.admit(admin, NS);
        return deploy.platform(plan).ports().router().verify(expected);
    }

    private List<String> eventReasons() {
        return admin.v1().events().inNamespace(NS).list().getItems().stream().map(Event::getReason).toList();
    }

    @ParameterizedTest
    @EnumSource(RouterCase.class)
    void healthyReleaseIsPromotedThroughEveryRouter(RouterCase router) throws Exception {
        stableV1(router);
        Plan v2 = plans.plan("2.0.0", router.type, router.steps);

        Outcome o = deploy.run(v2, "deploy 2.0.0");

        assertThat(o).isInstanceOf(Outcome.Succeeded.class);
        assertThat(o.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(schema.applied).containsExactly(SchemaPhase.EXPAND, SchemaPhase.CONTRACT);
        List<Weights> expected = router.steps.stream().map(g -> new Weights(100 - g, g)).toList();
        assertThat(shifts(stored())).containsSubsequence(expected);
        assertThat(trafficCheck(router, v2, Weights.allTo(Slot.B))).isEqualTo(new WeightCheck.Matches());

        Deployment green = deployment(Slot.B);
        assertThat(green.getMetadata().getLabels()).containsEntry(Names.VERSION_LABEL, "2.0.0");
        assertThat(green.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(deployment(Slot.A)).as("blue drained and deleted").isNull();
        assertThat(admin.services().inNamespace(NS).withName(Names.slotObject(APP, Slot.A)).get()).isNull();
        assertThat(admin.pods().inNamespace(NS).withLabel(Names.SLOT_LABEL, "a").list().getItems()).isEmpty();
        assertThat(green.getMetadata().getAnnotations()).containsEntry("botshift.dev/weights", "blue=0,green=100");
        assertThat(eventReasons()).contains("TrafficShifted", "PhaseContracting");
        Lease lease = admin.leases().inNamespace(NS).withName(Names.lockLease(APP)).get();
        assertThat(lease.getSpec().getHolderIdentity()).as("released").isNullOrEmpty();
    }

    @Test
    void errorSpikeRollsBackTrafficAndRemovesGreen() throws Exception {
        stableV1(RouterCase.GATEWAY_API);
        prometheus.errorRate(Slot.B, 0.30);
        Plan v2 = plans.plan("2.0.0", "gateway-api", RouterCase.GATEWAY_API.steps);

        Outcome o = deploy.run(v2, "deploy 2.0.0");

        assertThat(o).isInstanceOf(Outcome.RolledBack.class);
        assertThat(o.exitCode()).isEqualTo(ExitCode.ROLLED_BACK);
        assertThat(((Outcome.RolledBack) o).reason()).contains("analysis failed");
        assertThat(shifts(stored())).contains(new Weights(90, 10)).doesNotContain(Weights.allTo(Slot.B))
                .last().isEqualTo(Weights.allTo(Slot.A));
        assertThat(trafficCheck(RouterCase.GATEWAY_API, v2, Weights.allTo(Slot.A)))
                .isEqualTo(new WeightCheck.Matches());
        assertThat(deployment(Slot.B)).isNull();
        assertThat(admin.pods().inNamespace(NS).withLabel(Names.SLOT_LABEL, "b").list().getItems()).isEmpty();
        assertThat(deployment(Slot.A).getMetadata().getLabels()).containsEntry(Names.VERSION_LABEL, "1.0.0");
        assertThat(schema.applied).as("a rollback never touches the schema").containsExactly(SchemaPhase.EXPAND);
        assertThat(eventReasons()).contains("RolledBack");
    }

    @Test
    void greensPodKilledForMemoryRollsBackNamingThePodAndContainer() throws Exception {
        stableV1(RouterCase.GATEWAY_API);
        Plan v2 = plans.plan("2.0.0", "gateway-api", RouterCase.GATEWAY_API.steps);
        String pod = Names.slotObject(APP, Slot.B) + "-0";
        boolean[] killed = {false};

        Outcome o = deploy.run(v2, "deploy 2.0.0", s -> {
            if (s.phase() instanceof Phase.Shifting && !killed[0] && s.analysis().checks().restartBaselines() != null) {
                kubelet.kill(pod, "OOMKilled"); // once green was first judged, its error rate healthy throughout
                killed[0] = true;
            }
        });

        assertThat(o).isInstanceOf(Outcome.RolledBack.class);
        assertThat(((Outcome.RolledBack) o).reason()).contains("analysis failed", "check bot restarts failed: pod "
                + pod + " container bot restarted 1 time (last ended: OOMKilled, killed for memory)");
        assertThat(shifts(stored())).doesNotContain(Weights.allTo(Slot.B)).last().isEqualTo(Weights.allTo(Slot.A));
        assertThat(deployment(Slot.B)).isNull();
    }

    @Test
    void greenThatNeverGetsReadyIsRolledBackWithoutTraffic() throws Exception {
        stableV1(RouterCase.BOTSHIFT);
        greenNeverReady = true;
        Plan v2 = plans.plan("2.0.0", "botshift", RouterCase.BOTSHIFT.steps);

        Outcome o = deploy.run(v2, "deploy 2.0.0");

        assertThat(o).isInstanceOf(Outcome.RolledBack.class);
        assertThat(((Outcome.RolledBack) o).reason()).containsAnyOf("ProgressDeadlineExceeded", "not ready");
        assertThat(shifts(stored())).allMatch(w -> w.b() == 0);
        assertThat(trafficCheck(RouterCase.BOTSHIFT, v2, Weights.allTo(Slot.A)))
                .isEqualTo(new WeightCheck.Matches());
        assertThat(deployment(Slot.B)).isNull();
        assertThat(deployment(Slot.A).getStatus().getReadyReplicas()).isEqualTo(2);
    }

    /**
     * A long-polling bot through the in-cluster router's bridge (manifests/router-polling): refused while the router's
     * Deployment could run two pods at once (two getUpdates consumers), before anything is created; promoted once it
     * runs one at a time.
     */
    @Test
    void aPollingBotRollsOutOnlyWhileItsRouterRunsOnePodAtATime() throws Exception {
        stableV1(RouterCase.BOTSHIFT);
        try (var in = java.nio.file.Files.newInputStream(KubernetesPlans.REPO.resolve("manifests")
                .resolve("router-polling/deployment.yaml"))) {
            Deployment router = admin.apps().deployments().load(in).item();
            router.getMetadata().setNamespace(NS);
            router.getSpec().setReplicas(2);
            admin.apps().deployments().inNamespace(NS).resource(router).create();
        }
        Plan v2 = polling(plans.plan("2.0.0", "botshift", RouterCase.BOTSHIFT.steps));

        assertThatThrownBy(() -> deploy.run(v2, "deploy 2.0.0"))
                .isInstanceOf(dev.botshift.core.InvalidInputException.class)
                .hasMessageContaining("Deployment sentiment-bot-router: spec.replicas is 2, must be 1");
        assertThat(deployment(Slot.B)).as("nothing created").isNull();
        assertThat(stored().release()).isEqualTo("1.0.0");

        // the test kubelet writes the router's status too: read-modify-write until no write came between
        dev.botshift.kubernetes.Conflicts.retry(() -> {
            Deployment router = admin.apps().deployments().inNamespace(NS).withName("sentiment-bot-router").get();
            router.getSpec().setReplicas(1);
            return admin.apps().deployments().inNamespace(NS).resource(router).update();
        });
        Outcome o = deploy.run(v2, "deploy 2.0.0");
        assertThat(o).isInstanceOf(Outcome.Succeeded.class);
        assertThat(trafficCheck(RouterCase.BOTSHIFT, v2, Weights.allTo(Slot.B))).isEqualTo(new WeightCheck.Matches());
    }

    private static Plan polling(Plan p) {
        var t = p.traffic();
        var traffic = new dev.botshift.plan.TrafficSpec(t.router(), t.stickyBy(), t.steps(), t.stepDuration(),
                t.listenPort(), t.resource(), null, dev.botshift.plan.TrafficSpec.TELEGRAM_POLLING, null, null);
        return new Plan(p.name(), p.release(), p.database(), p.workload(), traffic, p.analysis(), p.bake(), p.approval(),
                p.notifications(), p.source());
    }

    @Test
    void aSecondDeployWhileOneRunsIsRefusedWithExitFiveNamingTheHolder() throws Exception {
        stableV1(RouterCase.NGINX_INGRESS);
        Plan v2 = plans.plan("2.0.0", "nginx-ingress", RouterCase.NGINX_INGRESS.steps);
        Set<LockHeldException> refused = new HashSet<>();

        Outcome o = deploy.run(v2, "deploy A", s -> {
            if (refused.isEmpty() && s.phase() instanceof Phase.Shifting) {
                try {
                    deploy.run(v2, "deploy B");
                } catch (LockHeldException e) {
                    refused.add(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });

        assertThat(refused).singleElement().satisfies(e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.LOCKED).isEqualTo(5);
            assertThat(e.holder()).isEqualTo("deploy A");
            assertThat(e.getMessage()).contains("deploy A").contains("since");
        });
        assertThat(o).as("the holder is not disturbed").isInstanceOf(Outcome.Succeeded.class);
    }

    @Test
    void deployKilledMidShiftIsResumedByTheNextOneOnceItsLeaseExpired() throws Exception {
        stableV1(RouterCase.BOTSHIFT);
        Plan v2 = plans.plan("2.0.0", "botshift", RouterCase.BOTSHIFT.steps);

        assertThatThrownBy(() -> deploy.run(v2, "deploy A", s -> {
            if (s.phase() instanceof Phase.Shifting sh && sh.step() == 1) {
                throw new ClusterDeploy.Killed();
            }
        })).isInstanceOf(ClusterDeploy.Killed.class);
        assertThat(stored().phase()).isInstanceOf(Phase.Shifting.class);
        assertThat(shifts(stored())).last().isEqualTo(new Weights(75, 25));

        assertThatThrownBy(() -> deploy.run(v2, "deploy B")).as("the dead run's lease is still fresh")
                .isInstanceOfSatisfying(LockHeldException.class, e -> assertThat(e.holder()).isEqualTo("deploy A"));

        clock.advance(ClusterDeploy.LOCK_TTL.plusSeconds(1));
        Outcome resumed = deploy.run(v2, "deploy B");

        assertThat(resumed).isInstanceOf(Outcome.Succeeded.class);
        RolloutState s = stored();
        assertThat(shifts(s)).containsSubsequence(new Weights(90, 10), new Weights(75, 25), new Weights(50, 50),
                Weights.allTo(Slot.B));
        assertThat(schema.applied).containsSubsequence(SchemaPhase.EXPAND, SchemaPhase.CONTRACT);
        assertThat(deployment(Slot.A)).isNull();
        assertThat(deployment(Slot.B).getMetadata().getLabels()).containsEntry(Names.VERSION_LABEL, "2.0.0");
        Lease lease = admin.leases().inNamespace(NS).withName(Names.lockLease(APP)).get();
        assertThat(lease.getSpec().getLeaseTransitions()).as("taken over from the dead holder").isPositive();
    }

    @Test
    void aGreenLeftBehindByAnEarlierRunIsUpdatedToTheRelease() throws Exception {
        stableV1(RouterCase.SERVICE_SELECTOR);
        Plan v2 = plans.plan("2.0.0", "service-selector", RouterCase.SERVICE_SELECTOR.steps);
        // an earlier attempt's green that its rollback could not delete (say, the API server was unreachable)
        new KubernetesWorkloads(admin, KubernetesWorkloadsConfig.fromPlan(v2)).start(Slot.B, "1.9.0", 1);

        Outcome o = deploy.run(v2, "deploy 2.0.0");

        assertThat(o).isInstanceOf(Outcome.Succeeded.class);
        Deployment green = deployment(Slot.B);
        assertThat(green.getMetadata().getLabels()).containsEntry(Names.VERSION_LABEL, "2.0.0");
        assertThat(green.getSpec().getReplicas()).isEqualTo(2);
        assertThat(green.getMetadata().getGeneration()).as("updated in place, not recreated").isGreaterThan(1L);
    }

    @Test
    void aPauseAndAResumeReachTheRolloutThroughTheInboxConfigMap() throws Exception {
        stableV1(RouterCase.GATEWAY_API);
        Plan v2 = plans.plan("2.0.0", "gateway-api", RouterCase.GATEWAY_API.steps);
        StateStore store = deploy.store(v2);
        boolean[] asked = {false, false};

        Outcome o = deploy.run(v2, "deploy 2.0.0", s -> {
            if (!asked[0] && s.phase() instanceof Phase.Shifting sh && sh.step() == 1) {
                asked[0] = true;
                ManualCommands.append(store, APP, Request.Kind.PAUSE, "reviewer", clock.instant());
            } else if (asked[0] && !asked[1] && s.phase() instanceof Phase.Paused) {
                asked[1] = true;
                assertThat(store.requests(APP)).as("taken in: the inbox is empty again").isEmpty();
                ManualCommands.append(store, APP, Request.Kind.RESUME, "reviewer", clock.instant());
            }
        });

        assertThat(o).isInstanceOf(Outcome.Succeeded.class);
        assertThat(stored().history()).filteredOn(e -> e instanceof RolloutEvent.CommandAccepted)
                .extracting(e -> ((RolloutEvent.CommandAccepted) e).command())
                .containsExactly(Request.Kind.PAUSE, Request.Kind.RESUME);
    }
}
