package dev.botshift.traffic.routerconfigmap;

import dev.botshift.core.InvalidInputException;
import dev.botshift.plan.TrafficSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code traffic.source: telegram-polling} on Kubernetes: the in-cluster Botshift router is the bot's one
 * {@code getUpdates} consumer (docs/polling.md). Telegram answers a second concurrent consumer 409 and a bridge that
 * gets 409s delivers nothing, so the router's Deployment must never run two pods at once: one replica and strategy
 * {@code Recreate} (a rolling update starts the new pod before the old one stops). The Deployment is the admin's
 * ({@code manifests/router-polling/deployment.yaml}), found by its labels {@code app.kubernetes.io/part-of=<app>} and
 * {@code app.kubernetes.io/component=router}; a rollout is refused (exit 2) before it changes anything when it is not
 * so, or when no router of the app polls at all.
 *
 * @see dev.botshift.kubernetes.ApiAccess#POLLING_ROUTER the one call it makes
 */
public final class PollingRouterDeployment {
    static final String PART_OF_LABEL = "app.kubernetes.io/part-of";
    static final String COMPONENT_LABEL = "app.kubernetes.io/component";
    /** The option that makes {@code botshift router} poll (cli.PollingOptions). */
    static final String POLL_OPTION = "--poll-token-env";
    private static final String MANIFEST = "manifests/router-polling/deployment.yaml";

    private PollingRouterDeployment() {
    }

    /** @throws InvalidInputException naming each Deployment and field that would let two routers poll, or none */
    public static void check(KubernetesClient client, String namespace, String app) {
        String prefix = "traffic.source " + TrafficSpec.TELEGRAM_POLLING + ": ";
        List<Deployment> routers = client.apps().deployments().inNamespace(namespace).withLabel(PART_OF_LABEL, app)
                .withLabel(COMPONENT_LABEL, "router").list().getItems();
        List<String> polling = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Deployment d : routers) {
            String name = "Deployment " + d.getMetadata().getName();
            if (!polls(d)) {
                continue; // a webhook router of the same app (being replaced, say) is no consumer
            }
            polling.add(d.getMetadata().getName());
            Integer replicas = d.getSpec().getReplicas(); // absent means 1
            if (replicas != null && replicas != 1) {
                problems.add(name + ": spec.replicas is " + replicas + ", must be 1 (one getUpdates consumer)");
            }
            String strategy = d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getType() == null
                    ? "RollingUpdate (the default)" : d.getSpec().getStrategy().getType();
            if (!strategy.equals("Recreate")) {
                problems.add(name + ": spec.strategy.type is " + strategy + ", must be Recreate (a rolling update"
                        + " starts the new router before the old one stops, and Telegram answers one of them 409)");
            }
        }
        if (polling.isEmpty()) {
            throw new InvalidInputException(prefix + "no Deployment in namespace " + namespace + " labelled "
                    + PART_OF_LABEL + "=" + app + ", " + COMPONENT_LABEL + "=router runs 'botshift router "
                    + POLL_OPTION + "', so nothing would poll for the bot: apply " + MANIFEST + " (docs/polling.md)");
        }
        if (polling.size() > 1) {
            problems.add("Deployments " + String.join(" and ", polling) + " both poll: keep one");
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(prefix + String.join("; ", problems) + " (" + MANIFEST + ")");
        }
    }

    private static boolean polls(Deployment d) {
        if (d.getSpec() == null || d.getSpec().getTemplate() == null || d.getSpec().getTemplate().getSpec() == null) {
            return false;
        }
        for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
            List<String> args = new ArrayList<>();
            if (c.getCommand() != null) {
                args.addAll(c.getCommand());
            }
            if (c.getArgs() != null) {
                args.addAll(c.getArgs());
            }
            if (args.contains(POLL_OPTION)) {
                return true;
            }
        }
        return false;
    }
}
