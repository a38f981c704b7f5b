package dev.botshift.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The router, the sample bot and the deploy Job run as non-root without privilege escalation. What the Role grants
 * is checked against the code by {@code dev.botshift.kubernetes.RbacManifestTest}.
 */
class LeastPrivilegeTest {
    private static final Path REPO = Path.of(System.getProperty("botshift.repo", ".."));

    @ParameterizedTest
    @ValueSource(strings = {"manifests/router/deployment.yaml", "manifests/bot/deployment.yaml",
            "manifests/job/deploy-job.yaml"})
    void podsRunAsNonRootWithoutEscalation(String file) throws Exception {
        List<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(REPO.resolve(file).toFile())
                .readAll();
        JsonNode pod = docs.stream().filter(d -> d.has("kind")).findFirst().orElseThrow()
                .path("spec").path("template").path("spec");
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(file + " runAsNonRoot").isTrue();
        assertThat(pod.path("securityContext").path("runAsUser").asInt(0)).as(file + " runAsUser").isPositive();
        // the deploy Job drives the rollout and the router watches its weights ConfigMap; the bot needs no API token
        boolean needsApi = file.contains("job") || file.contains("router");
        assertThat(pod.path("automountServiceAccountToken").asBoolean(true) && !needsApi)
                .as(file + ": only the deploy Job and the router need an API token").isFalse();
        assertThat(pod.path("containers")).isNotEmpty();
        for (JsonNode c : pod.path("containers")) {
            JsonNode sc = c.path("securityContext");
            String name = file + " container " + c.path("name").asText();
            assertThat(sc.path("allowPrivilegeEscalation").isBoolean() && !sc.path("allowPrivilegeEscalation").asBoolean())
                    .as(name + " allowPrivilegeEscalation: false").isTrue();
            assertThat(sc.path("privileged").asBoolean(false)).as(name + " not privileged").isFalse();
            assertThat(sc.path("runAsUser").asInt(1)).as(name + " not uid 0").isNotZero();
            assertThat(sc.path("capabilities").path("drop").toString()).as(name + " drops all capabilities")
                    .contains("ALL");
            assertThat(sc.path("capabilities").path("add").size()).as(name + " adds no capability").isZero();
        }
    }
}
