package dev.botshift.kubernetes;

import dev.botshift.core.InvalidInputException;
import dev.botshift.traffic.TrafficRouter;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * What the Kubernetes traffic routers share: the client, the app's namespace and name, and the one refusal for
 * an object the plan names ({@code traffic.resource}) that does not exist.
 */
public abstract class KubernetesRouter implements TrafficRouter {
    protected final KubernetesClient client;
    protected final String namespace;
    protected final String app;

    protected KubernetesRouter(KubernetesClient client, String namespace, String app) {
        this.client = client;
        this.namespace = namespace;
        this.app = app;
    }

    /** @param hint how to create it, in parentheses after the message, or {@code ""} */
    protected final InvalidInputException missing(String kind, String name, String hint) {
        return new InvalidInputException("traffic.resource: " + kind + " " + namespace + "/" + name + " does not exist"
                + (hint.isEmpty() ? "" : " (" + hint + ")"));
    }
}
