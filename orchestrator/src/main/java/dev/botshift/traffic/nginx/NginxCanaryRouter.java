package dev.botshift.traffic.nginx;

import dev.botshift.core.Colour;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.Weights;
import dev.botshift.kubernetes.Conflicts;
import dev.botshift.kubernetes.Names;
import dev.botshift.traffic.TrafficRouter;
import dev.botshift.traffic.WeightCheck;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NGINX Ingress canary: the existing Ingress ({@code traffic.resource}) sends traffic to one colour's Service (the
 * primary); a second Ingress {@code <name>-canary}, a copy of its rules pointing at the other colour, takes
 * {@code canary-weight} percent. At 100 % the primary is switched to the other colour under a full canary, then the
 * canary drops to 0, so every moment has a colour answering.
 *
 * @see dev.botshift.kubernetes.ApiAccess#NGINX the API calls it makes (granted by manifests/rbac.yaml)
 */
public final class NginxCanaryRouter implements TrafficRouter {
    static final String CANARY = "nginx.ingress.kubernetes.io/canary";
    static final String CANARY_WEIGHT = "nginx.ingress.kubernetes.io/canary-weight";

    private final KubernetesClient client;
    private final String namespace;
    private final String app;
    private final String ingress;

    public NginxCanaryRouter(KubernetesClient client, String namespace, String app, String ingress) {
        this.client = client;
        this.namespace = namespace;
        this.app = app;
        this.ingress = ingress;
    }

    @Override
    public void setWeights(Weights weights) {
        Colour primary = primaryColour(readPrimary());
        Colour other = primary.other();
        if (weights.of(other) == 100) {
            writeCanary(other, 100);
            switchPrimary(other);
            writeCanary(primary, 0);
        } else {
            writeCanary(other, weights.of(other));
        }
    }

    @Override
    public WeightCheck verify(Weights expected) {
        Colour primary = primaryColour(readPrimary());
        Ingress canary = client.network().v1().ingresses().inNamespace(namespace).withName(canaryName()).get();
        int canaryWeight = 0;
        if (canary != null && "true".equals(annotation(canary, CANARY))) {
            // a canary pointing at the primary's own colour moves nothing
            if (serviceColours(canary).equals(List.of(primary.other()))) {
                try {
                    canaryWeight = Integer.parseInt(annotation(canary, CANARY_WEIGHT));
                } catch (NumberFormatException e) {
                    return new WeightCheck.Unknown(canaryName() + " has no valid " + CANARY_WEIGHT);
                }
            }
        }
        Weights actual = Weights.canary(primary.other(), Math.max(0, Math.min(100, canaryWeight)));
        if (!actual.equals(expected)) {
            return new WeightCheck.Differs(actual);
        }
        if (canary != null && (canary.getStatus() == null || canary.getStatus().getLoadBalancer() == null
                || canary.getStatus().getLoadBalancer().getIngress() == null
                || canary.getStatus().getLoadBalancer().getIngress().isEmpty())) {
            return new WeightCheck.Unknown("no ingress controller has admitted " + canaryName() + " yet");
        }
        return new WeightCheck.Matches();
    }

    private void writeCanary(Colour to, int weight) {
        Conflicts.retry(() -> {
            Ingress primary = readPrimary();
            Ingress existing = client.network().v1().ingresses().inNamespace(namespace).withName(canaryName()).get();
            Ingress canary = existing == null ? new Ingress() : existing;
            if (existing == null) {
                canary.setMetadata(new ObjectMetaBuilder().withName(canaryName())
                        .withNamespace(namespace).addToLabels(Names.APP_LABEL, app)
                        .addToLabels(Names.MANAGED_BY_LABEL, Names.MANAGER).build());
            }
            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put(CANARY, "true");
            annotations.put(CANARY_WEIGHT, Integer.toString(weight));
            canary.getMetadata().setAnnotations(annotations);
            // The canary mirrors the primary's hosts and paths: NGINX pairs them by host and path.
            canary.setSpec(Serialization.clone(primary.getSpec()));
            pointAt(canary, to);
            if (existing == null) {
                return client.network().v1().ingresses().inNamespace(namespace).resource(canary).create();
            }
            return client.network().v1().ingresses().inNamespace(namespace).resource(canary).update();
        });
    }

    private void switchPrimary(Colour to) {
        Conflicts.retry(() -> {
            Ingress primary = readPrimary();
            pointAt(primary, to);
            return client.network().v1().ingresses().inNamespace(namespace).resource(primary).update();
        });
    }

    /** Every backend naming one of our colour Services now names {@code to}'s. */
    private void pointAt(Ingress ing, Colour to) {
        String target = Names.colourObject(app, to);
        for (IngressBackend backend : backends(ing)) {
            if (backend.getService() != null && colourOf(backend.getService().getName()) != null) {
                backend.getService().setName(target);
            }
        }
    }

    private Colour primaryColour(Ingress primary) {
        List<Colour> colours = serviceColours(primary);
        if (colours.size() != 1) {
            throw new InvalidInputException("traffic.resource: Ingress " + namespace + "/" + ingress + " must send to"
                    + " exactly one of the Services " + Names.colourObject(app, Colour.BLUE) + " or "
                    + Names.colourObject(app, Colour.GREEN) + ", found " + colours);
        }
        return colours.get(0);
    }

    private List<Colour> serviceColours(Ingress ing) {
        List<Colour> colours = new ArrayList<>();
        for (IngressBackend backend : backends(ing)) {
            Colour c = backend.getService() == null ? null : colourOf(backend.getService().getName());
            if (c != null && !colours.contains(c)) {
                colours.add(c);
            }
        }
        return colours;
    }

    private Colour colourOf(String service) {
        for (Colour c : Colour.values()) {
            if (Names.colourObject(app, c).equals(service)) {
                return c;
            }
        }
        return null;
    }

    private static List<IngressBackend> backends(Ingress ing) {
        List<IngressBackend> out = new ArrayList<>();
        if (ing.getSpec() == null) {
            return out;
        }
        if (ing.getSpec().getDefaultBackend() != null) {
            out.add(ing.getSpec().getDefaultBackend());
        }
        if (ing.getSpec().getRules() != null) {
            for (IngressRule rule : ing.getSpec().getRules()) {
                if (rule.getHttp() != null && rule.getHttp().getPaths() != null) {
                    rule.getHttp().getPaths().forEach(p -> out.add(p.getBackend()));
                }
            }
        }
        return out;
    }

    private Ingress readPrimary() {
        Ingress primary = client.network().v1().ingresses().inNamespace(namespace).withName(ingress).get();
        if (primary == null) {
            throw new InvalidInputException("traffic.resource: Ingress " + namespace + "/" + ingress
                    + " does not exist (create it from manifests/nginx/ingress.yaml)");
        }
        return primary;
    }

    private static String annotation(Ingress ing, String key) {
        Map<String, String> a = ing.getMetadata().getAnnotations();
        return a == null ? null : a.get(key);
    }

    String canaryName() {
        return ingress + "-canary";
    }
}
