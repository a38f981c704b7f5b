package dev.botshift.kubernetes.testing;

import dev.botshift.kubernetes.ApiAccess.Grant;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Turns the requests the CRUD mock server recorded into RBAC terms (apiGroup, resource, verb), the way the API
 * server's authorizer sees them. Requests from the test's own fixtures (the kubelet, objects a cluster admin
 * would create) carry {@link #FIXTURE_AGENT} and are left out: only what Botshift itself calls counts.
 */
public final class ApiRequests {
    public static final String FIXTURE_AGENT = "botshift-test-fixture";

    private ApiRequests() {
    }

    /** A client on the same mock server whose requests {@link #drain} ignores. */
    public static KubernetesClient fixtureClient(KubernetesClient botshift) {
        Config config = new ConfigBuilder(botshift.getConfiguration()).withUserAgent(FIXTURE_AGENT).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** One request as the authorizer sees it: the grant it needs and the object's name (null for a collection). */
    public record Call(Grant grant, String name) {
    }

    /** Takes every request recorded so far off the server and returns Botshift's as grants. */
    public static Set<Grant> drain(KubernetesMockServer server) throws InterruptedException {
        Set<Grant> out = new LinkedHashSet<>();
        drainCalls(server).forEach(c -> out.add(c.grant()));
        return out;
    }

    /** As {@link #drain}, keeping each request's object name, for Roles with {@code resourceNames}. */
    public static Set<Call> drainCalls(KubernetesMockServer server) throws InterruptedException {
        Set<Call> out = new LinkedHashSet<>();
        RecordedRequest r;
        while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            String agent = r.getHeader("User-Agent");
            if (agent == null || !agent.contains(FIXTURE_AGENT)) {
                out.add(new Call(grantOf(r.getMethod(), r.getPath()), nameOf(r.getPath())));
            }
        }
        return out;
    }

    /** {@code /apis/apps/v1/namespaces/ns/deployments/x/scale} names x; a collection names nothing. */
    static String nameOf(String pathAndQuery) {
        String[] p = URI.create(pathAndQuery).getPath().replaceAll("^/+", "").split("/");
        int at = p[0].equals("api") ? 2 : 3;
        at += 2; // namespaces/<ns>
        return p.length > at + 1 ? p[at + 1] : null;
    }

    /**
     * {@code /api/v1/namespaces/ns/pods?watch=true} is ("", pods, watch);
     * {@code PUT /apis/apps/v1/namespaces/ns/deployments/x/scale} is (apps, deployments/scale, update).
     */
    public static Grant grantOf(String method, String pathAndQuery) {
        URI uri = URI.create(pathAndQuery);
        String[] p = uri.getPath().replaceAll("^/+", "").split("/");
        int at;
        String group;
        if (p.length > 0 && p[0].equals("api")) {
            group = "";
            at = 2;
        } else if (p.length > 2 && p[0].equals("apis")) {
            group = p[1];
            at = 3;
        } else {
            throw new AssertionError("not a resource request (would need a ClusterRole): " + method + " " + pathAndQuery);
        }
        if (p.length > at + 1 && p[at].equals("namespaces")) {
            at += 2;
        } else {
            throw new AssertionError("not namespaced (would need a ClusterRole): " + method + " " + pathAndQuery);
        }
        String resource = p[at];
        boolean named = p.length > at + 1;
        if (p.length > at + 2) {
            resource = resource + "/" + p[at + 2];
        }
        String query = uri.getQuery() == null ? "" : uri.getQuery();
        String verb = switch (method) {
            case "GET" -> query.contains("watch=true") ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new AssertionError("unexpected method " + method + " " + pathAndQuery);
        };
        return new Grant(group, resource, verb);
    }
}
