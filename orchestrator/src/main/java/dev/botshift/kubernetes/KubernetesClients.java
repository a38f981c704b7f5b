package dev.botshift.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * Builds the one client a run uses. Credentials come from the usual places (in-cluster service account, then
 * {@code KUBECONFIG} / {@code ~/.kube/config}); Botshift never reads or prints them itself.
 */
public final class KubernetesClients {
    private KubernetesClients() {
    }

    /** @param namespace the plan's namespace; null keeps the context's (or the pod's) namespace */
    public static KubernetesClient connect(String namespace) {
        Config base = Config.autoConfigure(null);
        ConfigBuilder config = new ConfigBuilder(base);
        if (namespace != null && !namespace.isBlank()) {
            config.withNamespace(namespace);
        }
        return new KubernetesClientBuilder().withConfig(config.build()).build();
    }
}
