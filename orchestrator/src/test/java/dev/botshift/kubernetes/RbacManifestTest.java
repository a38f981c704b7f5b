package dev.botshift.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import dev.botshift.kubernetes.testing.ApiRequests;
import dev.botshift.kubernetes.testing.RoleRules;
import dev.botshift.supervise.Controller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * manifests/rbac.yaml (the CLI and the deploy Job) and manifests/controller/rbac.yaml (the controller, which runs the
 * rollouts) grant exactly what their code calls: no missing permission, no spare one.
 */
class RbacManifestTest {
    private static final Path REPO = Path.of(System.getProperty("botshift.repo", ".."));
    /** the objects of the sample app (plan name and traffic.resource sentiment-bot) that Botshift reads by name */
    private static final Set<String> SAMPLE_NAMES = Set.of(
            Names.slotObject("sentiment-bot", dev.botshift.core.Slot.A),
            Names.slotObject("sentiment-bot", dev.botshift.core.Slot.B),
            Names.stateConfigMap("sentiment-bot"), Names.routerConfigMap("sentiment-bot"), Names.lockLease("sentiment-bot"),
            Names.requestsConfigMap("sentiment-bot"), Names.releaseConfigMap("sentiment-bot"),
            "sentiment-bot", "sentiment-bot-canary",
            Names.lockLease(Controller.LEADERSHIP));

    private static List<JsonNode> documents(Path file) throws Exception {
        return new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(file.toFile()).readAll();
    }

    /** The (apiGroup, resource, verb) the Role in {@code file} grants, after checking its rules' shape. */
    private static Set<ApiAccess.Grant> granted(String file) throws Exception {
        List<JsonNode> docs = documents(REPO.resolve(file));
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
        return granted;
    }

    @Test
    void theClisRoleGrantsExactlyWhatTheCliCalls() throws Exception {
        assertThat(granted("manifests/rbac.yaml")).containsExactlyInAnyOrderElementsOf(ApiAccess.CLI);
    }

    @Test
    void controllerRoleGrantsExactlyWhatTheControllerCalls() throws Exception {
        assertThat(granted("manifests/controller/rbac.yaml")).containsExactlyInAnyOrderElementsOf(ApiAccess.CONTROLLER);
        var role = RoleRules.role(REPO.resolve("manifests/controller/rbac.yaml"),
                "botshift-controller");
        // the calls the controller makes by name besides the adapters' (which KubernetesRolloutTest and
        // ControllerTest check request by request): its leadership, and each app's lock, state, inbox and release
        for (var call : List.of(
                call("coordination.k8s.io", "leases", "get", Names.lockLease(Controller.LEADERSHIP)),
                call("coordination.k8s.io", "leases", "update", Names.lockLease(Controller.LEADERSHIP)),
                call("coordination.k8s.io", "leases", "create", null),
                call("coordination.k8s.io", "leases", "update", Names.lockLease("sentiment-bot")),
                call("", "configmaps", "list", null),
                call("", "configmaps", "watch", null),
                call("", "configmaps", "update", Names.stateConfigMap("sentiment-bot")),
                call("", "configmaps", "update", Names.requestsConfigMap("sentiment-bot")),
                call("", "configmaps", "get", Names.releaseConfigMap("sentiment-bot")))) {
            assertThat(RoleRules.allows(role, call)).as(call.toString()).isTrue();
        }
        assertThat(RoleRules.allows(role,
                call("", "secrets", "get", "sentiment-bot-db"))).as("no Secrets: they reach it as env").isFalse();
        var cli = RoleRules.role(REPO.resolve("manifests/rbac.yaml"), "botshift");
        assertThat(RoleRules.allows(cli, call("coordination.k8s.io", "leases", "get",
                Names.lockLease(Controller.LEADERSHIP))))
                .as("deploy checks that a controller leads").isTrue();
        assertThat(RoleRules.allows(cli, call("coordination.k8s.io", "leases", "update",
                Names.lockLease(Controller.LEADERSHIP))))
                .as("but cannot take the leadership").isFalse();
    }

    private static ApiRequests.Call call(String group, String resource, String verb,
                                                                           String name) {
        return new ApiRequests.Call(new ApiAccess.Grant(group, resource, verb), name);
    }

    @ParameterizedTest
    @CsvSource({"manifests/rbac.yaml, botshift",
            "manifests/controller/rbac.yaml, botshift-controller"})
    void bindingTiesTheRoleToTheServiceAccount(String file, String name) throws Exception {
        List<JsonNode> docs = documents(REPO.resolve(file));
        JsonNode binding = docs.stream().filter(d -> d.path("kind").asText().equals("RoleBinding")).findFirst()
                .orElseThrow();
        JsonNode account = docs.stream().filter(d -> d.path("kind").asText().equals("ServiceAccount")).findFirst()
                .orElseThrow();
        assertThat(binding.path("roleRef").path("kind").asText()).isEqualTo("Role");
        assertThat(binding.path("roleRef").path("name").asText()).isEqualTo(name);
        assertThat(account.path("metadata").path("name").asText()).isEqualTo(name);
        assertThat(binding.path("subjects").get(0).path("name").asText())
                .isEqualTo(account.path("metadata").path("name").asText());
    }
}
