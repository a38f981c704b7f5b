package dev.botshift.traffic.gatewayapi;

import dev.botshift.core.Colour;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.Weights;
import dev.botshift.kubernetes.Conflicts;
import dev.botshift.kubernetes.Names;
import dev.botshift.traffic.TrafficRouter;
import dev.botshift.traffic.WeightCheck;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Sets backendRef weights on an existing {@code gateway.networking.k8s.io/v1} HTTPRoute: every rule gets one
 * backendRef per colour's Service ({@code <app>-blue}, {@code <app>-green}). Other backendRefs and all matches and
 * filters are left as they are. Gateway API weights are relative; Botshift writes percentages.
 *
 * @see dev.botshift.kubernetes.ApiAccess#GATEWAY_API the API calls it makes (granted by manifests/rbac.yaml)
 */
public final class HttpRouteRouter implements TrafficRouter {
    private final KubernetesClient client;
    private final String namespace;
    private final String app;
    private final String route;
    private final int port;

    public HttpRouteRouter(KubernetesClient client, String namespace, String app, String route, int port) {
        this.client = client;
        this.namespace = namespace;
        this.app = app;
        this.route = route;
        this.port = port;
    }

    @Override
    public void setWeights(Weights weights) {
        Conflicts.retry(() -> {
            HTTPRoute current = read();
            for (HTTPRouteRule rule : current.getSpec().getRules()) {
                rule.setBackendRefs(withWeights(rule.getBackendRefs(), weights));
            }
            // current carries the resourceVersion we read: a concurrent edit is a 409 and we start over
            return client.resources(HTTPRoute.class).inNamespace(namespace).resource(current).update();
        });
    }

    private List<HTTPBackendRef> withWeights(List<HTTPBackendRef> refs, Weights weights) {
        List<HTTPBackendRef> out = refs == null ? new ArrayList<>() : new ArrayList<>(refs);
        for (Colour colour : Colour.values()) {
            String service = Names.colourObject(app, colour);
            HTTPBackendRef ref = out.stream().filter(r -> isService(r, service)).findFirst().orElse(null);
            if (ref == null) {
                ref = new HTTPBackendRefBuilder().withName(service).withPort(port).build();
                out.add(ref);
            }
            ref.setWeight(weights.of(colour));
        }
        return out;
    }

    @Override
    public WeightCheck verify(Weights expected) {
        HTTPRoute current = read();
        Weights seen = null;
        for (HTTPRouteRule rule : current.getSpec().getRules()) {
            int blue = weightOf(rule, Colour.BLUE);
            int green = weightOf(rule, Colour.GREEN);
            if (blue + green == 0) {
                return new WeightCheck.Unknown("a rule of HTTPRoute " + route + " sends nothing to either colour");
            }
            int greenPercent = Math.round(100f * green / (blue + green));
            Weights actual = new Weights(100 - greenPercent, greenPercent);
            if (seen != null && !seen.equals(actual)) {
                return new WeightCheck.Unknown("rules of HTTPRoute " + route + " disagree: " + seen + " vs " + actual);
            }
            seen = actual;
        }
        if (seen == null) {
            return new WeightCheck.Unknown("HTTPRoute " + route + " has no rules");
        }
        if (!seen.equals(expected)) {
            return new WeightCheck.Differs(seen);
        }
        String refused = refusal(current);
        return refused == null ? new WeightCheck.Matches() : new WeightCheck.Unknown(refused);
    }

    /** The spec is what we wrote; whether the gateway programmed it shows in the route's status, per parent. */
    private String refusal(HTTPRoute current) {
        if (current.getStatus() == null || current.getStatus().getParents() == null
                || current.getStatus().getParents().isEmpty()) {
            return "no gateway has reported on HTTPRoute " + route + " yet";
        }
        Long generation = current.getMetadata().getGeneration();
        for (RouteParentStatus parent : current.getStatus().getParents()) {
            for (String type : List.of("Accepted", "ResolvedRefs")) {
                Condition c = parent.getConditions() == null ? null : parent.getConditions().stream()
                        .filter(x -> type.equals(x.getType())).findFirst().orElse(null);
                if (c == null || (generation != null && c.getObservedGeneration() != null
                        && c.getObservedGeneration() < generation)) {
                    return parent.getControllerName() + " has not reported " + type + " for the current generation";
                }
                if (!"True".equals(c.getStatus())) {
                    return parent.getControllerName() + ": " + type + "=" + c.getStatus() + " (" + c.getReason() + ")";
                }
            }
        }
        return null;
    }

    private int weightOf(HTTPRouteRule rule, Colour colour) {
        String service = Names.colourObject(app, colour);
        if (rule.getBackendRefs() == null) {
            return 0;
        }
        return rule.getBackendRefs().stream().filter(r -> isService(r, service))
                .mapToInt(r -> r.getWeight() == null ? 1 : r.getWeight()).sum(); // Gateway API default weight is 1
    }

    private static boolean isService(HTTPBackendRef ref, String service) {
        boolean coreGroup = ref.getGroup() == null || ref.getGroup().isEmpty();
        boolean serviceKind = ref.getKind() == null || "Service".equals(ref.getKind());
        return coreGroup && serviceKind && Objects.equals(ref.getName(), service);
    }

    private HTTPRoute read() {
        HTTPRoute current = client.resources(HTTPRoute.class).inNamespace(namespace).withName(route).get();
        if (current == null) {
            throw new InvalidInputException("traffic.resource: HTTPRoute " + namespace + "/" + route
                    + " does not exist (create it from manifests/gateway-api/httproute.yaml)");
        }
        if (current.getSpec() == null || current.getSpec().getRules() == null || current.getSpec().getRules().isEmpty()) {
            throw new InvalidInputException("traffic.resource: HTTPRoute " + namespace + "/" + route + " has no rules");
        }
        return current;
    }
}
