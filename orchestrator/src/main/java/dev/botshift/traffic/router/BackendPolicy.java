package dev.botshift.traffic.router;

import dev.botshift.core.Slot;
import dev.botshift.core.InvalidInputException;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * Which backends a router accepts, whoever asks (its admin API, its config file, its ConfigMap). A backend receives
 * every webhook the router forwards, secret headers included: pointed at an outside address, the router would hand
 * a chat platform's traffic and its secret token to whoever runs it. So a router forwards only to where the
 * colours' instances can be, and refuses the rest (400 to a change, exit 2 at start, ignored on reload).
 *
 * <p>Why an address rule and not "the instances the workloads recorded": the router runs on its own, and must keep
 * routing when no {@code botshift} process is alive, so it does not read the orchestrator's files; the admin token
 * already decides who may change the backends, and this rule bounds what even a holder of the token can do.
 */
public enum BackendPolicy {
    /** The embedded default: bots are processes on this machine, listening on 127.0.0.1 ({@code LocalWorkloads}). */
    LOOPBACK,
    /**
     * In a cluster: a Service of the router's own namespace (a single DNS label, as {@code http://<app>-blue:8080})
     * or the pod's own loopback, over plain HTTP; never a name with dots (another namespace, the internet) or an IP
     * address.
     */
    CLUSTER_SERVICE;

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    /** @throws InvalidInputException naming {@code origin} and the field when a backend is not allowed */
    public RouterConfig check(RouterConfig config, String origin) {
        for (Slot slot : Slot.values()) {
            for (URI backend : config.backendsOf(slot)) {
                String problem = problem(backend);
                if (problem != null) {
                    throw new InvalidInputException(origin + ": field backends." + slot.label() + ": " + backend
                            + " refused: " + problem);
                }
            }
        }
        return config;
    }

    private String problem(URI uri) {
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return "a backend is a base URI without user info, query or fragment";
        }
        boolean loopback = "127.0.0.1".equals(uri.getHost()) || "[::1]".equals(uri.getHost());
        return switch (this) {
            case LOOPBACK -> "http".equals(uri.getScheme()) && loopback && uri.getPort() > 0 ? null
                    : "the local router forwards only to bots on this machine (http://127.0.0.1:<port>)";
            // plain HTTP only: the webhook port speaks no TLS to the bots (their Services are inside the cluster's
            // network, and Botshift's own ConfigMap names them http://); an https backend would get every webhook
            // as a 502, so it is refused with the rest
            case CLUSTER_SERVICE -> "http".equals(uri.getScheme())
                    && (loopback || DNS_LABEL.matcher(String.valueOf(uri.getHost())).matches()) ? null
                    : "the in-cluster router forwards only to Services of its own namespace over plain HTTP "
                    + "(http://<service>:<port>)";
        };
    }
}
