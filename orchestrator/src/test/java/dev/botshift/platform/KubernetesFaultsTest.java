package dev.botshift.platform;

import dev.botshift.testing.MutableClock;
import static dev.botshift.platform.ClusterDeploy.shifts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.kubernetes.KubernetesClients;
import dev.botshift.kubernetes.Names;
import dev.botshift.kubernetes.testing.ApiFaults;
import dev.botshift.kubernetes.testing.ApiRequests;
import dev.botshift.kubernetes.testing.Kubelet;
import dev.botshift.kubernetes.testing.QuietMockServer;
import dev.botshift.plan.Plan;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.RolloutState;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.testing.Slow;
import dev.botshift.traffic.WeightCheck;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.EnumSource.Mode;

/**
 * {@link KubernetesRolloutTest}'s healthy promotion with an API server that intermittently fails: every 8th of
 * Botshift's requests on each of Deployments, ConfigMaps and HTTPRoutes is answered 500, and every 2nd update of a
 * Deployment, the HTTPRoute or the router's ConfigMap is answered 409 as if another writer had come first. The
 * client's backoff ({@link KubernetesClients#withRetries}) absorbs the 500s and {@code Conflicts.retry} the 409s:
 * the outcome is the fault-free one. The state ConfigMap and the Lease are spared the 409s on purpose: there a 409
 * means another run wrote, which is refused (exit 5, state conflict), not retried.
 */
@Slow
class KubernetesFaultsTest {
    private static final String NS = "bots";
    private static final String APP = "sentiment-bot";
    private static final Set<String> FAULTY = Set.of("deployments", "configmaps", "httproutes");
    @AutoClose
    private final ScriptedPrometheus prometheus = new ScriptedPrometheus();

    @org.junit.jupiter.api.io.TempDir
    Path dir;

    private final ApiFaults faults = new ApiFaults(List.of(
            new ApiFaults.Rule(500, 8, (g, path) -> FAULTY.contains(g.resource().split("/")[0])),
            new ApiFaults.Rule(409, 2, (g, path) -> g.verb().equals("update") && conflicting(g.resource(), path))));
    private KubernetesMockServer server;
    private KubernetesClient client;
    private KubernetesClient admin;
    private Kubelet kubelet;
    private final RecordingSchema schema = new RecordingSchema();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private KubernetesPlans plans;
    private ClusterDeploy deploy;

    private static boolean conflicting(String resource, String path) {
        return resource.equals("deployments") || resource.equals("httproutes")
                || resource.equals("configmaps")
                && URI.create(path).getPath().endsWith("/configmaps/" + Names.routerConfigMap(APP));
    }

    @BeforeAll
    static void quietMockServer() {
        QuietMockServer.warningsOnly();
    }

    @BeforeEach
    void cluster() throws Exception {
        server = ApiFaults.server(faults);
        client = server.createClient(b -> b.withConfig(KubernetesClients.withRetries(ApiFaults.config(server))));
        admin = ApiRequests.fixtureClient(client);
        kubelet = Kubelet.start(admin, NS, d -> new Kubelet.Policy.Ready());
        plans = new KubernetesPlans(dir, prometheus.url());
        deploy = new ClusterDeploy(client, schema, clock);
        prometheus.errorRate(Slot.A, 0.01);
        prometheus.errorRate(Slot.B, 0.01);
    }

    @AfterEach
    void stop() {
        deploy.close();
        kubelet.close();
        admin.close();
        client.close();
        server.destroy();
    }

    @ParameterizedTest
    @EnumSource(value = RouterCase.class, names = {"GATEWAY_API", "BOTSHIFT"}, mode = Mode.INCLUDE)
    void healthyReleaseIsPromotedDespiteIntermittent500sAnd409s(RouterCase router) throws Exception {
        router.install(admin, NS);
        assertThat(deploy.run(plans.plan("1.0.0", router.type, router.steps), "deploy 1.0.0"))
                .isInstanceOf(Outcome.Succeeded.class);
        schema.applied.clear();
        Plan v2 = plans.plan("2.0.0", router.type, router.steps);

        Outcome o = deploy.run(v2, "deploy 2.0.0");

        assertThat(o).isInstanceOf(Outcome.Succeeded.class);
        assertThat(schema.applied).containsExactly(SchemaPhase.EXPAND, SchemaPhase.CONTRACT);
        List<Weights> expected = router.steps.stream().map(g -> new Weights(100 - g, g)).toList();
        assertThat(shifts(stored())).as("the fault-free sequence, no step repeated or skipped")
                .isEqualTo(expected);
        router.admit(admin, NS);
        assertThat(deploy.platform(v2).ports().router().verify(Weights.allTo(Slot.B)))
                .isEqualTo(new WeightCheck.Matches());
        Deployment green = deployment(Slot.B);
        assertThat(green.getMetadata().getLabels()).containsEntry(Names.VERSION_LABEL, "2.0.0");
        assertThat(green.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(deployment(Slot.A)).as("blue drained and deleted").isNull();

        Map<String, Integer> injected = faults.injected();
        String weightsResource = router == RouterCase.GATEWAY_API ? "httproutes" : "configmaps";
        assertThat(List.of(faults.injected(500, "deployments"), faults.injected(500, "configmaps"),
                faults.injected(500, weightsResource), faults.injected(409, weightsResource)))
                .as("faults injected: %s", injected).allMatch(n -> n > 0);
    }

    private Deployment deployment(Slot slot) {
        return admin.apps().deployments().inNamespace(NS).withName(Names.slotObject(APP, slot)).get();
    }

    private RolloutState stored() {
        return ClusterDeploy.state(deploy.store(plans.base()), APP);
    }
}
