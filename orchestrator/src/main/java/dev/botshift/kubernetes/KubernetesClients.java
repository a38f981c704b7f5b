package dev.botshift.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Builds a Kubernetes client. A run's platform owns exactly one, which {@code RolloutSession} closes with the
 * platform; commands that only read or request state own theirs through the store they close. Credentials come from
 * the usual places (in-cluster service account, then {@code KUBECONFIG} / {@code ~/.kube/config}); Botshift never
 * reads or prints them itself.
 */
public final class KubernetesClients {
    /**
     * Retries of one request the API server answered with 5xx or 429 (Retry-After is honoured) or that failed to
     * connect. An API server restarting or an etcd leader election is over in a few seconds: 6 retries from 200 ms,
     * doubling, wait up to about 12 s in all, well inside a traffic step, and a real outage still surfaces.
     */
    public static final int REQUEST_RETRIES = 6;
    public static final int REQUEST_RETRY_INTERVAL_MILLIS = 200;
    /** Retries of the check before a run ({@link #probe}). */
    static final int PROBE_RETRIES = 1;

    private KubernetesClients() {
    }

    /** @param namespace the plan's namespace; null keeps the context's (or the pod's) namespace */
    public static KubernetesClient connect(String namespace) {
        return new KubernetesClientBuilder().withConfig(config(namespace, REQUEST_RETRIES)).build();
    }

    /**
     * A client for the check before anything runs ({@code Reachability}): one retry, so an API server that cannot be
     * reached is named within about a second rather than after the 12 s a rollout's requests wait out. Nothing has
     * started yet that a brief outage could leave half done, and a wrong address or context is the usual cause.
     */
    public static KubernetesClient probe(String namespace) {
        return new KubernetesClientBuilder().withConfig(config(namespace, PROBE_RETRIES)).build();
    }

    private static Config config(String namespace, int retries) {
        ConfigBuilder config = new ConfigBuilder(Config.autoConfigure(null));
        if (namespace != null && !namespace.isBlank()) {
            config.withNamespace(namespace);
        }
        return withRetries(config.build(), retries);
    }

    /**
     * {@code config} with Botshift's request retries set explicitly rather than left to Fabric8's defaults, so that
     * the tests' clients retry exactly as a real run does. 409s are not retried here: an update that lost a race
     * must be re-read and re-applied, which {@link Conflicts#retry} does.
     */
    public static Config withRetries(Config config) {
        return withRetries(config, REQUEST_RETRIES);
    }

    private static Config withRetries(Config config, int retries) {
        return new ConfigBuilder(config).withRequestRetryBackoffLimit(retries)
                .withRequestRetryBackoffInterval(REQUEST_RETRY_INTERVAL_MILLIS).build();
    }
}
