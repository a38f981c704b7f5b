package dev.botshift.traffic.gatewayapi;

import dev.botshift.core.Slot;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.Weights;
import dev.botshift.kubernetes.Names;
import dev.botshift.kubernetes.Reconcile;
import dev.botshift.kubernetes.KubernetesRouter;
import dev.botshift.traffic.WeightCheck;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
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
 * @see dev.botshift.kubernetes.ApiAccess#GATEWAY_API the API calls it makes (granted by manifests/controller/rbac.yaml)
 */
public final class HttpRouteRouter extends KubernetesRouter {
    private static final String GROUP = "gateway.networking.k8s.io";

    private final String route;
    private final int port;

    public HttpRouteRouter(KubernetesClient client, String namespace, String app, String route, int port) {
        super(client, namespace, app);
        this.route = route;
        this.port = port;
    }

    @Override
    public void setWeights(Weights weights) {
        Reconcile.update(client.resources(HTTPRoute.class).inNamespace(namespace), route, this::missing, current -> {
            for (HTTPRouteRule rule : rules(current)) {
                rule.setBackendRefs(withWeights(rule.getBackendRefs(), weights));
            }
            return current;
        });
    }

    private List<HTTPBackendRef> withWeights(List<HTTPBackendRef> refs, Weights weights) {
        List<HTTPBackendRef> out = refs == null ? new ArrayList<>() : new ArrayList<>(refs);
        for (Slot slot : Slot.values()) {
            String service = Names.slotObject(app, slot);
            HTTPBackendRef ref = out.stream().filter(r -> isService(r, service)).findFirst().orElse(null);
            if (ref == null) {
                ref = new HTTPBackendRefBuilder().withName(service).withPort(port).build();
                out.add(ref);
            }
            ref.setWeight(weights.of(slot));
        }
        return out;
    }

    @Override
    public WeightCheck verify(Weights expected) {
        HTTPRoute current = read();
        Weights seen = null;
        for (HTTPRouteRule rule : current.getSpec().getRules()) {
            int blue = weightOf(rule, Slot.A);
            int green = weightOf(rule, Slot.B);
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

    /**
     * The spec is what we wrote; whether the gateways programmed it shows in the route's status, per parent
     * (Gateway API: {@code Accepted} says the parent attached the route, {@code ResolvedRefs} that every backendRef
     * resolved, e.g. both colours' Services exist). Every parentRef of the spec must have reported both as
     * {@code True} for the current generation; a condition without {@code observedGeneration} cannot be dated and
     * counts as not reported.
     */
    private String refusal(HTTPRoute current) {
        List<RouteParentStatus> parents = current.getStatus() == null || current.getStatus().getParents() == null
                ? List.of() : current.getStatus().getParents();
        if (parents.isEmpty()) {
            return "no gateway has reported on HTTPRoute " + route + " yet";
        }
        List<ParentReference> wanted = current.getSpec().getParentRefs() == null ? List.of() : current.getSpec().getParentRefs();
        for (ParentReference ref : wanted) {
            if (parents.stream().noneMatch(p -> sameParent(p.getParentRef(), ref, current))) {
                return "parent " + describe(ref) + " of HTTPRoute " + route + " has not reported yet";
            }
        }
        Long generation = current.getMetadata().getGeneration();
        for (RouteParentStatus parent : parents) {
            for (String type : List.of("Accepted", "ResolvedRefs")) {
                Condition c = parent.getConditions() == null ? null : parent.getConditions().stream()
                        .filter(x -> type.equals(x.getType())).findFirst().orElse(null);
                String who = parent.getControllerName() + " (parent " + describe(parent.getParentRef()) + ")";
                if (c == null || (generation != null && (c.getObservedGeneration() == null
                        || c.getObservedGeneration() < generation))) {
                    return who + " has not reported " + type + " for generation " + generation + " of HTTPRoute " + route;
                }
                if (!"True".equals(c.getStatus())) {
                    return who + ": " + type + "=" + c.getStatus() + " (" + c.getReason()
                            + (c.getMessage() == null ? "" : ": " + c.getMessage()) + ")";
                }
            }
        }
        return null;
    }

    /** Gateway API defaults: group gateway.networking.k8s.io, kind Gateway, the route's namespace. */
    private static boolean sameParent(ParentReference a, ParentReference b, HTTPRoute route) {
        if (a == null || b == null) {
            return false;
        }
        String ns = route.getMetadata().getNamespace();
        return Objects.equals(a.getName(), b.getName())
                && Objects.equals(orDefault(a.getNamespace(), ns), orDefault(b.getNamespace(), ns))
                && Objects.equals(orDefault(a.getKind(), "Gateway"), orDefault(b.getKind(), "Gateway"))
                && Objects.equals(orDefault(a.getGroup(), GROUP), orDefault(b.getGroup(), GROUP))
                && Objects.equals(a.getSectionName(), b.getSectionName())
                && Objects.equals(a.getPort(), b.getPort());
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static String describe(ParentReference ref) {
        return ref == null ? "?" : ref.getName() + (ref.getSectionName() == null ? "" : "/" + ref.getSectionName());
    }

    private int weightOf(HTTPRouteRule rule, Slot slot) {
        String service = Names.slotObject(app, slot);
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
            throw missing();
        }
        rules(current);
        return current;
    }

    private InvalidInputException missing() {
        return missing("HTTPRoute", route, "create it from manifests/gateway-api/httproute.yaml");
    }

    private List<HTTPRouteRule> rules(HTTPRoute current) {
        if (current.getSpec() == null || current.getSpec().getRules() == null || current.getSpec().getRules().isEmpty()) {
            throw new InvalidInputException("traffic.resource: HTTPRoute " + namespace + "/" + route + " has no rules");
        }
        return current.getSpec().getRules();
    }
}
