package dev.botshift.kubernetes.testing;

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

/** The (apiGroup, resource, verb) a Role in a manifest file grants, read with Fabric8's own model. */
public final class RoleRules {
    private RoleRules() {
    }

    public static Role role(Path file, String name) throws IOException {
        List<HasMetadata> objects;
        try (InputStream in = Files.newInputStream(file)) {
            Object parsed = Serialization.unmarshal(in);
            objects = parsed instanceof KubernetesList list ? list.getItems()
                    : parsed instanceof List<?> l ? l.stream().map(HasMetadata.class::cast).toList()
                    : List.of((HasMetadata) parsed);
        }
        return objects.stream().filter(o -> o instanceof Role && o.getMetadata().getName().equals(name))
                .map(Role.class::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no Role " + name + " in " + file));
    }

    public static Set<Grant> grants(Path file, String name) throws IOException {
        Set<Grant> out = new HashSet<>();
        for (PolicyRule rule : role(file, name).getRules()) {
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

    /** Whether the Role lets {@code call} through, as RBAC decides: a rule for its grant naming it or naming nothing. */
    public static boolean allows(Role role, ApiRequests.Call call) {
        for (PolicyRule rule : role.getRules()) {
            boolean grants = rule.getApiGroups().contains(call.grant().apiGroup())
                    && rule.getResources().contains(call.grant().resource())
                    && rule.getVerbs().contains(call.grant().verb());
            List<String> names = rule.getResourceNames();
            if (grants && (names == null || names.isEmpty() || (call.name() != null && names.contains(call.name())))) {
                return true;
            }
        }
        return false;
    }
}
