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

    /**
     * Fields Fabric8's model does not know, with their path: Fabric8 keeps them aside (additionalProperties) instead
     * of refusing, so a misspelt field (say {@code readOnlyRootFilesytem}) would parse and then do nothing on a
     * cluster. Strict parsing is this walk over every model object.
     */
    static List<String> unknownFields(Object o, String path) throws Exception {
        List<String> out = new ArrayList<>();
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Enum<?>) {
            return out;
        }
        if (o instanceof java.util.Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                out.addAll(unknownFields(e, path + "[" + i++ + "]"));
            }
            return out;
        }
        if (o instanceof java.util.Map<?, ?> m) {
            for (var e : m.entrySet()) {
                out.addAll(unknownFields(e.getValue(), path + "." + e.getKey()));
            }
            return out;
        }
        if (!o.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return out; // IntOrString, Quantity and the like: values, not objects with fields
        }
        for (java.lang.reflect.Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = m.invoke(o);
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof java.util.Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> out.add(path + "." + k));
                }
            } else if (!m.getName().equals("getIntVal") && !m.getName().equals("getStrVal")) {
                out.addAll(unknownFields(value, path + "." + Character.toLowerCase(m.getName().charAt(3))
                        + m.getName().substring(4)));
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
                        .allSatisfy(o -> assertThat(o.getMetadata().getName()).as(relative).isNotBlank())
                        .allSatisfy(o -> assertThat(o).as(relative + ": a typed object, not a generic one")
                                .isNotInstanceOf(io.fabric8.kubernetes.api.model.GenericKubernetesResource.class))
                        .allSatisfy(o -> assertThat(unknownFields(o, o.getKind())).as(relative + ": fields the "
                                + "Kubernetes model does not know").isEmpty());
            }
        }
    }

    @Test
    void strictParsingFindsAMisspeltField() throws Exception {
        Deployment typo = Serialization.unmarshal("""
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
                 "spec": {"template": {"spec": {"containers": [{"name": "c",
                   "securityContext": {"readOnlyRootFilesytem": true}}]}}}}""", Deployment.class);
        assertThat(unknownFields(typo, "Deployment"))
                .containsExactly("Deployment.spec.template.spec.containers[0].securityContext.readOnlyRootFilesytem");
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
        for (String name : java.util.List.of("DB_PASSWORD", "PGPASSWORD")) {
            assertThat(c.getEnv()).filteredOn(e -> e.getName().equals(name)).singleElement().as(name).satisfies(e -> {
                assertThat(e.getValue()).as("from the Secret, never written in the template").isNull();
                assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
            });
        }
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
        assertThat(c.getCommand()).containsExactly("/bin/sh", "-c");
        assertThat(c.getArgs()).singleElement().asString()
                .contains("/usr/local/bin/botshift deploy -f /plan/plan.yaml --detach");
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getActiveDeadlineSeconds()).as("the Job is bounded").isPositive();
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("DB_PASSWORD")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("sentiment-bot-db"));
        assertThat(c.getEnv()).allSatisfy(e -> assertThat(e.getValue()).as("no literal values: secrets only").isNull());
    }

    /**
     * The long-running Botshift containers (the controller, both routers) exit when their JVM runs out of heap, so
     * Kubernetes restarts them, rather than limp on (the image's entrypoint passes {@code JAVA_OPTS} to the JVM); the
     * only literal value in their environment.
     */
    @Test
    void longRunningContainersExitOutOfHeap() throws Exception {
        for (String file : List.of("controller/deployment.yaml", "router/deployment.yaml",
                "router-polling/deployment.yaml")) {
            Container c = only(file, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(c.getEnv()).as(file).filteredOn(e -> e.getName().equals("JAVA_OPTS")).singleElement()
                    .satisfies(e -> assertThat(e.getValue()).contains("-XX:+ExitOnOutOfMemoryError"));
            assertThat(c.getEnv()).as(file).filteredOn(e -> !e.getName().equals("JAVA_OPTS"))
                    .allSatisfy(e -> assertThat(e.getValue()).as("no other literal value").isNull());
        }
    }

    @Test
    void pollingRouterRunsOnePodAtATimeWithTheTokenFromASecretAndItsOffsetOnAVolume() throws Exception {
        Deployment router = only("router-polling/deployment.yaml", Deployment.class);
        assertThat(router.getSpec().getReplicas()).as("one getUpdates consumer").isEqualTo(1);
        assertThat(router.getSpec().getStrategy().getType()).as("the old pod stops before the new one polls")
                .isEqualTo("Recreate");
        PodSpec pod = router.getSpec().getTemplate().getSpec();
        assertNonRoot(pod);
        Container c = pod.getContainers().get(0);
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(pod.getServiceAccountName()).isEqualTo("botshift-router");
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("BOT_TOKEN")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("sentiment-bot-telegram"));
        assertThat(c.getEnv()).filteredOn(e -> !e.getName().equals("JAVA_OPTS"))
                .allSatisfy(e -> assertThat(e.getValue()).as("no literal values").isNull());
        // the arguments are the real command's: picocli parses them as `botshift router` would
        java.util.List<String> args = c.getArgs();
        assertThat(args.get(0)).isEqualTo("router");
        dev.botshift.cli.RouterCommand command = new dev.botshift.cli.RouterCommand();
        new picocli.CommandLine(command).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
        assertThat(args).containsSubsequence("--configmap", "$(POD_NAMESPACE)/sentiment-bot-botshift-router")
                .containsSubsequence("--poll-token-env", "BOT_TOKEN");
        String stateDir = args.get(args.indexOf("--poll-state-dir") + 1);
        assertThat(c.getVolumeMounts()).as("the offset's folder is a volume: the root filesystem is read-only")
                .anyMatch(m -> m.getMountPath().equals(stateDir));
        assertThat(router.getMetadata().getLabels()).containsEntry("app.kubernetes.io/part-of", "sentiment-bot")
                .containsEntry("app.kubernetes.io/component", "router")
                .doesNotContainEntry(Names.APP_LABEL, "sentiment-bot");
        // the same name as the webhook router's Deployment: one replaces the other
        assertThat(router.getMetadata().getName())
                .isEqualTo(only("router/deployment.yaml", Deployment.class).getMetadata().getName());
    }

    /** The Job's shell around {@code botshift deploy --detach}, run with a stand-in answering {@code code}. */
    private static int deployJobExit(String script, Path dir, int code) throws Exception {
        Path fake = dir.resolve("botshift");
        Files.writeString(fake, "#!/bin/sh\necho \"$@\" > " + dir.resolve("args") + "\nexit " + code + "\n");
        fake.toFile().setExecutable(true);
        Process p = new ProcessBuilder("/bin/sh", "-c", script.replace("/usr/local/bin/botshift", fake.toString()))
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    @Test
    void deployJobEndsAtTheGateAsASuccessAndFailsOnEverythingElse(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Container c = only("job/deploy-job.yaml", Job.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        String script = c.getArgs().get(0);
        for (int code : new int[] {0, 1, 2, 3, 4, 5, 6, 7}) {
            assertThat(deployJobExit(script, dir, code)).as("botshift exit " + code).isEqualTo(code == 4 ? 0 : code);
        }
        String[] args = Files.readString(dir.resolve("args")).strip().split(" ");
        assertThat(args).containsExactly("deploy", "-f", "/plan/plan.yaml", "--detach");
        dev.botshift.cli.Main.commandLine().parseArgs(args); // the real CLI takes it
    }

    @Test
    void controllerRunsTwoReplicasWithProbesAsNonRootOnAReadOnlyRoot() throws Exception {
        Deployment controller = only("controller/deployment.yaml", Deployment.class);
        assertThat(controller.getSpec().getReplicas()).as("a standby takes over").isEqualTo(2);
        PodSpec pod = controller.getSpec().getTemplate().getSpec();
        assertNonRoot(pod);
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getServiceAccountName()).isEqualTo("botshift-controller");
        assertThat(pod.getAutomountServiceAccountToken()).as("the controller talks to the API").isNotEqualTo(false);
        Container c = pod.getContainers().get(0);
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(pod.getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("tmp");
            assertThat(v.getEmptyDir()).isNotNull();
        });

        // the args parse with the real CLI (the container expands $(POD_NAMESPACE) and $(POD_NAME) first)
        assertThat(c.getArgs()).startsWith("controller");
        var parsed = dev.botshift.cli.Main.commandLine().parseArgs(c.getArgs().toArray(String[]::new));
        var options = parsed.subcommand().matchedOptions().stream()
                .collect(java.util.stream.Collectors.toMap(o -> o.longestName(), o -> String.join(",", o.originalStringValues())));
        assertThat(options).containsEntry("--namespace", "$(POD_NAMESPACE)").containsEntry("--identity", "$(POD_NAME)");
        assertThat(c.getEnv()).anyMatch(e -> e.getName().equals("POD_NAME")
                && e.getValueFrom().getFieldRef().getFieldPath().equals("metadata.name"));
        assertThat(c.getEnv()).anyMatch(e -> e.getName().equals("POD_NAMESPACE")
                && e.getValueFrom().getFieldRef().getFieldPath().equals("metadata.namespace"));
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("DB_PASSWORD")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("sentiment-bot-db"));
        assertThat(c.getEnv()).filteredOn(e -> !e.getName().equals("JAVA_OPTS"))
                .allSatisfy(e -> assertThat(e.getValue()).as("no literal values: secrets only").isNull());

        // both probes ask the health endpoint on the port the controller serves it on
        int port = Integer.parseInt(options.get("--health-port"));
        assertThat(c.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("health");
            assertThat(p.getContainerPort()).isEqualTo(port);
        });
        for (var probe : List.of(c.getReadinessProbe(), c.getLivenessProbe())) {
            assertThat(probe.getHttpGet().getPath()).isEqualTo("/healthz");
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("health");
        }
        // a liveness probe that gives up sooner than the controller calls itself stuck would restart a healthy one
        var liveness = c.getLivenessProbe();
        java.time.Duration lease = dev.botshift.core.DurationText.parse(options.get("--lease-duration"));
        assertThat(liveness.getPeriodSeconds() * liveness.getFailureThreshold()).isGreaterThanOrEqualTo(
                (int) lease.multipliedBy(2).toSeconds());
    }

    @Test
    void controllerDisruptionBudgetKeepsOneReplica() throws Exception {
        Deployment controller = only("controller/deployment.yaml", Deployment.class);
        var pdb = only("controller/pdb.yaml", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(controller.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(controller.getSpec().getSelector().getMatchLabels())
                .isEqualTo(pdb.getSpec().getSelector().getMatchLabels());
        RoleBinding binding = only("controller/rbac.yaml", RoleBinding.class);
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> assertThat(s.getName())
                .isEqualTo(controller.getSpec().getTemplate().getSpec().getServiceAccountName()));
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
