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

    private KubernetesClients() {
    }

    /** @param namespace the plan's namespace; null keeps the context's (or the pod's) namespace */
    public static KubernetesClient connect(String namespace) {
        Config base = Config.autoConfigure(null);
        ConfigBuilder config = new ConfigBuilder(base);
        if (namespace != null && !namespace.isBlank()) {
            config.withNamespace(namespace);
        }
        return new KubernetesClientBuilder().withConfig(withRetries(config.build())).build();
    }

    /**
     * {@code config} with Botshift's request retries set explicitly rather than left to Fabric8's defaults, so that
     * the tests' clients retry exactly as a real run does. 409s are not retried here: an update that lost a race
     * must be re-read and re-applied, which {@link Conflicts#retry} does.
     */
    public static Config withRetries(Config config) {
        return new ConfigBuilder(config).withRequestRetryBackoffLimit(REQUEST_RETRIES)
                .withRequestRetryBackoffInterval(REQUEST_RETRY_INTERVAL_MILLIS).build();
    }
}
