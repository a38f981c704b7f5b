package dev.botshift.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import dev.botshift.kubernetes.testing.RoleRules;
import dev.botshift.traffic.router.kubernetes.ConfigMapRouterConfigSource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shipped manifests are valid objects and keep the promises docs/kubernetes.md makes about them. */
class ManifestsTest {
    private static final Path MANIFESTS = Path.of(System.getProperty("botshift.repo", ".."), "manifests");

    private static List<HasMetadata> objects(String file) throws Exception {
        List<HasMetadata> out = new ArrayList<>();
        for (JsonNode doc : new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(
                MANIFESTS.resolve(file).toFile()).readAll()) {
            if (!doc.isEmpty()) {
                out.add(Serialization.unmarshal(doc.toString(), HasMetadata.class));
            }
        }
        return out;
    }

    private static <T> T only(String file, Class<T> type) throws Exception {
        return objects(file).stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    private static void assertNonRoot(PodSpec pod) {
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        for (Container c : pod.getContainers()) {
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).contains("ALL");
        }
    }

    @Test
    void everyManifestParsesIntoKubernetesObjects() throws Exception {
        try (Stream<Path> files = Files.walk(MANIFESTS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                String relative = MANIFESTS.relativize(file).toString();
                if (relative.equals("plan-kubernetes.yaml")) {
                    continue;
                }
                assertThat(objects(relative)).as(relative).isNotEmpty()
                        .allSatisfy(o -> assertThat(o.getMetadata().getName()).as(relative).isNotBlank());
            }
        }
    }

    @Test
    void botTemplateRunsAsNonRootWithAHealthProbeAndMetricsPort() throws Exception {
        Deployment bot = only("bot/deployment.yaml", Deployment.class);
        PodSpec pod = bot.getSpec().getTemplate().getSpec();
        assertNonRoot(pod);
        Container c = pod.getContainers().get(0);
        assertThat(c.getName()).isEqualTo("bot");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getPorts()).anyMatch(p -> "http".equals(p.getName()));
        assertThat(bot.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("prometheus.io/path",
                "/metrics");
        try (InputStream in = getClass().getResourceAsStream("/botshift/manifests/bot/deployment.yaml")) {
            assertThat(in).as("the template ships in the jar").isNotNull();
        }
    }

    @Test
    void routerAndDeployJobRunTheBotshiftImageAsNonRoot() throws Exception {
        Deployment router = only("router/deployment.yaml", Deployment.class);
        PodSpec routerPod = router.getSpec().getTemplate().getSpec();
        assertNonRoot(routerPod);
        assertThat(routerPod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(routerPod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(routerPod.getContainers().get(0).getArgs()).startsWith("router")
                .containsSubsequence("--configmap", "$(POD_NAMESPACE)/sentiment-bot-botshift-router");
        assertThat(routerPod.getServiceAccountName()).isEqualTo("botshift-router");
        assertThat(routerPod.getContainers().get(0).getEnv()).anyMatch(e -> e.getName().equals("POD_NAMESPACE")
                && e.getValueFrom().getFieldRef().getFieldPath().equals("metadata.namespace"));
        assertThat(routerPod.getContainers().get(0).getLivenessProbe()).as("a dead router is restarted").isNotNull();
        // Botshift selects the bot's Deployments (informers, Events, annotations) by app.kubernetes.io/name=<app>
        assertThat(router.getMetadata().getLabels()).doesNotContainEntry(Names.APP_LABEL, "sentiment-bot");
        assertThat(router.getSpec().getTemplate().getMetadata().getLabels())
                .doesNotContainEntry(Names.APP_LABEL, "sentiment-bot");

        Job job = only("job/deploy-job.yaml", Job.class);
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertNonRoot(pod);
        assertThat(pod.getServiceAccountName()).isEqualTo("botshift");
        Container c = pod.getContainers().get(0);
        assertThat(c.getArgs()).containsExactly("deploy", "-f", "/plan/plan.yaml");
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("DB_PASSWORD")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("sentiment-bot-db"));
        assertThat(c.getEnv()).allSatisfy(e -> assertThat(e.getValue()).as("no literal values: secrets only").isNull());
    }

    @Test
    void routerServiceReachesTheRouterPods() throws Exception {
        Deployment router = only("router/deployment.yaml", Deployment.class);
        io.fabric8.kubernetes.api.model.Service service = only("router/service.yaml",
                io.fabric8.kubernetes.api.model.Service.class);
        assertThat(router.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http"));
    }

    @Test
    void routerMayOnlyReadAndWriteItsOwnConfigMap() throws Exception {
        Path file = MANIFESTS.resolve("router/rbac.yaml");
        var role = RoleRules.role(file, "botshift-router");
        assertThat(role.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getResources()).containsExactly("configmaps");
            assertThat(rule.getResourceNames()).containsExactly("sentiment-bot-botshift-router");
        });
        assertThat(RoleRules.grants(file, "botshift-router")).containsExactlyInAnyOrderElementsOf(
                ConfigMapRouterConfigSource.API_ACCESS);
        RoleBinding binding = only("router/rbac.yaml", RoleBinding.class);
        assertThat(binding.getSubjects()).singleElement()
                .satisfies(s -> assertThat(s.getName()).isEqualTo("botshift-router"));
    }

    @Test
    void kubernetesPlanTargetsTheClusterWithPrometheus() throws Exception {
        JsonNode plan = new YAMLMapper().readTree(MANIFESTS.resolve("plan-kubernetes.yaml").toFile());
        assertThat(plan.path("workload").path("platform").asText()).isEqualTo("kubernetes");
        assertThat(plan.path("workload").path("kubernetes").path("namespace").asText()).isEqualTo("bots");
        assertThat(plan.path("analysis").path("prometheus").path("requestsQuery").asText())
                .contains("bot_requests_total").contains("{{slot}}");
        assertThat(plan.path("database").path("password").asText()).isEqualTo("${env:DB_PASSWORD}");
    }
}
