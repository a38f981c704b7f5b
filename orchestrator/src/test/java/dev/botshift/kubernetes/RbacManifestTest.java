package dev.botshift.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** manifests/rbac.yaml grants exactly what the adapters call: no missing permission, no spare one. */
class RbacManifestTest {
    private static final Path REPO = Path.of(System.getProperty("botshift.repo", ".."));
    /** the objects of the sample app (plan name and traffic.resource sentiment-bot) that Botshift reads by name */
    private static final Set<String> SAMPLE_NAMES = Set.of(
            Names.slotObject("sentiment-bot", dev.botshift.core.Slot.A),
            Names.slotObject("sentiment-bot", dev.botshift.core.Slot.B),
            Names.stateConfigMap("sentiment-bot"), Names.routerConfigMap("sentiment-bot"), Names.lockLease("sentiment-bot"),
            Names.requestsConfigMap("sentiment-bot"), Names.releaseConfigMap("sentiment-bot"),
            "sentiment-bot", "sentiment-bot-canary");

    private static List<JsonNode> documents(Path file) throws Exception {
        return new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(file.toFile()).readAll();
    }

    @Test
    void roleGrantsExactlyTheApiAccessTheCodeUses() throws Exception {
        List<JsonNode> docs = documents(REPO.resolve("manifests/rbac.yaml"));
        JsonNode role = docs.stream().filter(d -> d.path("kind").asText().equals("Role")).findFirst().orElseThrow();

        Set<ApiAccess.Grant> granted = new HashSet<>();
        for (JsonNode rule : role.path("rules")) {
            if (rule.has("resourceNames")) {
                // a name cannot authorize a create or a label-selected list/watch: such a rule would be a 403
                assertThat(rule.path("verbs").toString()).as(rule.toString())
                        .doesNotContain("\"create\"", "\"list\"", "\"watch\"");
                rule.path("resourceNames").forEach(n -> assertThat(SAMPLE_NAMES).as(rule.toString()).contains(n.asText()));
            }
            for (JsonNode group : rule.path("apiGroups")) {
                for (JsonNode resource : rule.path("resources")) {
                    for (JsonNode verb : rule.path("verbs")) {
                        assertThat(verb.asText()).as("no wildcards").isNotEqualTo("*");
                        granted.add(new ApiAccess.Grant(group.asText(), resource.asText(), verb.asText()));
                    }
                }
            }
        }
        assertThat(granted).containsExactlyInAnyOrderElementsOf(ApiAccess.USED);
    }

    @Test
    void bindingTiesTheRoleToTheServiceAccount() throws Exception {
        List<JsonNode> docs = documents(REPO.resolve("manifests/rbac.yaml"));
        JsonNode binding = docs.stream().filter(d -> d.path("kind").asText().equals("RoleBinding")).findFirst()
                .orElseThrow();
        JsonNode account = docs.stream().filter(d -> d.path("kind").asText().equals("ServiceAccount")).findFirst()
                .orElseThrow();
        assertThat(binding.path("roleRef").path("kind").asText()).isEqualTo("Role");
        assertThat(binding.path("roleRef").path("name").asText()).isEqualTo("botshift");
        assertThat(binding.path("subjects").get(0).path("name").asText())
                .isEqualTo(account.path("metadata").path("name").asText());
    }
}
