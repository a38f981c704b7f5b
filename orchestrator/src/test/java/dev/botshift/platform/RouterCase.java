package dev.botshift.platform;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;

/**
 * One traffic router as the cluster tests install it: the shipped manifest an admin applies before the first
 * deploy, and the status its controller would write (the CRUD mock runs no Gateway or ingress controller).
 */
enum RouterCase {
    GATEWAY_API("gateway-api", List.of(10, 25, 50, 100), "gateway-api/httproute.yaml"),
    NGINX_INGRESS("nginx-ingress", List.of(10, 25, 50, 100), "nginx/ingress.yaml"),
    SERVICE_SELECTOR("service-selector", List.of(100), "bot/service.yaml"),
    BOTSHIFT("botshift", List.of(10, 25, 50, 100), "router/configmap.yaml");

    final String type;
    final List<Integer> steps;
    final String manifest;

    RouterCase(String type, List<Integer> steps, String manifest) {
        this.type = type;
        this.steps = steps;
        this.manifest = manifest;
    }

    /** Applies the router's manifest, as {@code kubectl apply -f manifests/<file>} would. */
    void install(KubernetesClient admin, String namespace) throws IOException {
        try (InputStream in = Files.newInputStream(KubernetesPlans.REPO.resolve("manifests").resolve(manifest))) {
            for (HasMetadata o : admin.load(in).items()) {
                o.getMetadata().setNamespace(namespace);
                admin.resource(o).inNamespace(namespace).create();
            }
        }
    }

    /** Writes the status a Gateway or ingress controller would report once it has taken the current spec. */
    void admit(KubernetesClient admin, String namespace) {
        if (this == GATEWAY_API) {
            var route = admin.resources(HTTPRoute.class).inNamespace(namespace).withName("sentiment-bot");
            HTTPRoute r = route.get();
            Long generation = r.getMetadata().getGeneration();
            r.setStatus(new HTTPRouteStatusBuilder().addNewParent().withControllerName("example.test/gateway")
                    .withNewParentRef().withName("public").endParentRef()
                    .withConditions(new ConditionBuilder().withType("Accepted").withStatus("True").withReason("Test")
                                    .withObservedGeneration(generation).build(),
                            new ConditionBuilder().withType("ResolvedRefs").withStatus("True").withReason("Test")
                                    .withObservedGeneration(generation).build())
                    .endParent().build());
            admin.resources(HTTPRoute.class).inNamespace(namespace).resource(r).updateStatus();
        } else if (this == NGINX_INGRESS) {
            for (Ingress i : admin.network().v1().ingresses().inNamespace(namespace).list().getItems()) {
                i.setStatus(new IngressStatusBuilder().withNewLoadBalancer()
                        .withIngress(new IngressLoadBalancerIngressBuilder().withIp("10.0.0.10").build())
                        .endLoadBalancer().build());
                admin.network().v1().ingresses().inNamespace(namespace).resource(i).updateStatus();
            }
        }
    }
}
