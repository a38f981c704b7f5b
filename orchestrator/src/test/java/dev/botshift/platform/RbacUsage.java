package dev.botshift.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.kubernetes.ApiAccess;
import dev.botshift.kubernetes.ApiAccess.Grant;
import dev.botshift.kubernetes.testing.ApiRequests;
import dev.botshift.kubernetes.testing.RoleRules;
import java.io.IOException;
import java.util.HashSet;
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
    private static final Set<ApiRequests.Call> CALLS = new HashSet<>();
    private static int recorded;

    private RbacUsage() {
    }

    static synchronized void record(Set<ApiRequests.Call> calls) {
        calls.forEach(c -> OBSERVED.add(c.grant()));
        CALLS.addAll(calls);
        recorded++;
    }

    static synchronized void assertGranted() throws IOException {
        Set<Grant> granted = RoleRules.grants(KubernetesPlans.REPO.resolve("manifests/rbac.yaml"), "botshift");
        assertThat(granted).as("manifests/rbac.yaml matches ApiAccess").containsExactlyInAnyOrderElementsOf(ApiAccess.USED);
        assertThat(OBSERVED).as("requests Botshift made that manifests/rbac.yaml does not grant")
                .isSubsetOf(granted);
        var role = RoleRules.role(KubernetesPlans.REPO.resolve("manifests/rbac.yaml"), "botshift");
        assertThat(CALLS).as("requests the Role's resourceNames would refuse (403 on a real cluster)")
                .allSatisfy(c -> assertThat(RoleRules.allows(role, c)).as(c.toString()).isTrue());
        if (recorded >= SCENARIOS) {
            assertThat(OBSERVED).as("ApiAccess.USED against what all scenarios called")
                    .containsExactlyInAnyOrderElementsOf(ApiAccess.USED);
        }
    }
}
