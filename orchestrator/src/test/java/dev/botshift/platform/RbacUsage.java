package dev.botshift.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.kubernetes.ApiAccess;
import dev.botshift.kubernetes.ApiAccess.Grant;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * RBAC from real usage: the (apiGroup, resource, verb) of every request Botshift made during the rollout scenarios,
 * compared with the Role {@code botshift} in {@code manifests/rbac.yaml}. A call the Role does not grant would be
 * a 403 on a real cluster; a grant no scenario needed is a right too many.
 */
final class RbacUsage {
    /** every scenario of {@link KubernetesRolloutTest}: with all of them run, the observed set is complete */
    private static final int SCENARIOS = 9;
    private static final Set<Grant> OBSERVED = new HashSet<>();
    private static int recorded;

    private RbacUsage() {
    }

    static synchronized void record(Set<Grant> grants) {
        OBSERVED.addAll(grants);
        recorded++;
    }

    static synchronized void assertGranted() throws IOException {
        Set<Grant> granted = grantsOf(KubernetesPlans.REPO.resolve("manifests/rbac.yaml"), "botshift");
        assertThat(granted).as("manifests/rbac.yaml matches ApiAccess").containsExactlyInAnyOrderElementsOf(ApiAccess.USED);
        assertThat(OBSERVED).as("requests Botshift made that manifests/rbac.yaml does not grant")
                .isSubsetOf(granted);
        if (recorded >= SCENARIOS) {
            assertThat(OBSERVED).as("ApiAccess.USED against what all scenarios called")
                    .containsExactlyInAnyOrderElementsOf(ApiAccess.USED);
        }
    }

    /** The rules of Role {@code name} in a manifest file, read with Fabric8. */
    static Set<Grant> grantsOf(Path file, String name) throws IOException {
        List<HasMetadata> objects;
        try (InputStream in = Files.newInputStream(file)) {
            Object parsed = Serialization.unmarshal(in);
            objects = parsed instanceof KubernetesList list ? list.getItems()
                    : parsed instanceof List<?> l ? l.stream().map(HasMetadata.class::cast).toList()
                    : List.of((HasMetadata) parsed);
        }
        Role role = objects.stream().filter(o -> o instanceof Role && o.getMetadata().getName().equals(name))
                .map(Role.class::cast).findFirst().orElseThrow(() -> new AssertionError("no Role " + name + " in " + file));
        Set<Grant> out = new HashSet<>();
        for (PolicyRule rule : role.getRules()) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        out.add(new Grant(group, resource, verb));
                    }
                }
            }
        }
        return out;
    }
}
