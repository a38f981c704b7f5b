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
 * RBAC from real usage: the (apiGroup, resource, verb) of every request Botshift made during the rollout scenarios
 * (rollouts driven as the controller drives them), compared with the controller's Role {@code botshift-controller} in
 * {@code manifests/controller/rbac.yaml}. A call the Role does not grant would be a 403 on a real cluster; a grant no
 * scenario needed is a right too many (over all scenarios they equal {@link ApiAccess#USED}).
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
        var file = KubernetesPlans.REPO.resolve("manifests/controller/rbac.yaml");
        Set<Grant> granted = RoleRules.grants(file, "botshift-controller");
        assertThat(granted).as("the controller's Role grants what a driver calls").containsAll(ApiAccess.USED);
        assertThat(OBSERVED).as("requests Botshift made that the controller's Role does not grant")
                .isSubsetOf(granted);
        var role = RoleRules.role(file, "botshift-controller");
        assertThat(CALLS).as("requests the Role's resourceNames would refuse (403 on a real cluster)")
                .allSatisfy(c -> assertThat(RoleRules.allows(role, c)).as(c.toString()).isTrue());
        if (recorded >= SCENARIOS) {
            assertThat(OBSERVED).as("ApiAccess.USED against what all scenarios called")
                    .containsExactlyInAnyOrderElementsOf(ApiAccess.USED);
        }
    }
}
