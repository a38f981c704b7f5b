package dev.botshift.kubernetes;

import dev.botshift.core.Causes;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/**
 * A Kubernetes API failure that escaped a command unnamed, in one line (the CLI's last resort, as {@code
 * os.IoFailures} is for the operating system's refusals): an API server that cannot be reached (a wrong context, no
 * cluster, outside of it an in-cluster address), credentials it does not accept, or a request it refuses (a Role
 * without the verb). Before, {@code status --namespace} without a reachable cluster ended with "internal error:
 * KubernetesClientException: Operation: [get] … failed" and exit 1.
 */
public final class ApiFailures {
    private ApiFailures() {
    }

    /** What {@code failure} says in Botshift's words, when it is a Kubernetes API failure; the caller exits 2. */
    public static Optional<String> describe(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof KubernetesClientException k) {
                return Optional.of(describe(k));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the API gave no answer at all (no HTTP status: refused, timed out, a name that does not resolve), as
     * opposed to an HTTP error it answered: the one rule for "cannot be reached", here and in {@code deploy}'s check
     * ({@code platform.Reachability}).
     */
    public static boolean unanswered(KubernetesClientException e) {
        return e.getCode() <= 0;
    }

    private static String describe(KubernetesClientException e) {
        int code = e.getCode();
        if (unanswered(e)) {
            return "the Kubernetes API cannot be reached (" + Causes.rootMessage(e) + "): check the kubeconfig's current "
                    + "context (or KUBECONFIG), or run where the cluster is reachable";
        }
        String said = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : "HTTP " + code;
        if (code == 401) {
            return "the Kubernetes API did not accept the credentials (401 Unauthorized): check the kubeconfig's user "
                    + "or the ServiceAccount token";
        }
        if (code == 403) {
            return "the Kubernetes API refused the request (403): " + said + "; the CLI's Role is manifests/rbac.yaml "
                    + "(docs/kubernetes.md)";
        }
        return "the Kubernetes API answered " + code + ": " + said;
    }
}
