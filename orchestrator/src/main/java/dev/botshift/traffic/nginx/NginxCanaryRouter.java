package dev.botshift.traffic.nginx;

import dev.botshift.core.Slot;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.Weights;
import dev.botshift.kubernetes.Names;
import dev.botshift.kubernetes.Reconcile;
import dev.botshift.kubernetes.KubernetesRouter;
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
import java.util.Objects;

/**
 * NGINX Ingress canary: the existing Ingress ({@code traffic.resource}) sends traffic to one colour's Service (the
 * primary); a second Ingress {@code <name>-canary}, a copy of its rules pointing at the other colour, takes
 * {@code canary-weight} percent. At 100 % the primary is switched to the other colour under a full canary, then the
 * canary drops to 0, so every moment has a colour answering.
 *
 * @see dev.botshift.kubernetes.ApiAccess#NGINX the API calls it makes (granted by manifests/controller/rbac.yaml)
 */
public final class NginxCanaryRouter extends KubernetesRouter {
    static final String CANARY = "nginx.ingress.kubernetes.io/canary";
    static final String CANARY_WEIGHT = "nginx.ingress.kubernetes.io/canary-weight";
    /** the ingress class before {@code spec.ingressClassName} (Kubernetes 1.18); ingress-nginx still honours it */
    static final String LEGACY_CLASS = "kubernetes.io/ingress.class";

    private final String ingress;

    public NginxCanaryRouter(KubernetesClient client, String namespace, String app, String ingress) {
        super(client, namespace, app);
        this.ingress = ingress;
    }

    @Override
    public void setWeights(Weights weights) {
        Slot primary = primaryColour(readPrimary());
        Slot other = primary.other();
        if (weights.of(other) == 100) {
            writeCanary(other, 100);
            switchPrimary(other);
            writeCanary(primary, 0);
        } else {
            writeCanary(other, weights.of(other));
        }
    }

    /**
     * The split ingress-nginx applies: the canary's weight when the canary is a mirror of the primary (same
     * class, hosts and paths) pointing at the other colour. Whether a controller admitted both Ingresses shows in
     * their {@code status.loadBalancer}; without it the answer is {@code Unknown}.
     */
    @Override
    public WeightCheck verify(Weights expected) {
        Ingress primaryIngress = readPrimary();
        Slot primary = primaryColour(primaryIngress);
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
        if (!admitted(primaryIngress)) {
            return new WeightCheck.Unknown("no ingress controller has admitted " + ingress + " yet");
        }
        if (canary == null || canaryWeight == 0) {
            return new WeightCheck.Matches();
        }
        if (!Objects.equals(ingressClass(canary), ingressClass(primaryIngress))) {
            return new WeightCheck.Unknown(canaryName() + " has ingress class " + ingressClass(canary) + ", "
                    + ingress + " has " + ingressClass(primaryIngress) + ": another controller would serve it");
        }
        if (!mirrors(canary, primaryIngress, primary.other())) {
            return new WeightCheck.Unknown("the hosts and paths of " + canaryName() + " no longer mirror " + ingress
                    + " (NGINX pairs a canary with its primary by host and path)");
        }
        if (!admitted(canary)) {
            return new WeightCheck.Unknown("no ingress controller has admitted " + canaryName() + " yet");
        }
        return new WeightCheck.Matches();
    }

    private static boolean admitted(Ingress ing) {
        return ing.getStatus() != null && ing.getStatus().getLoadBalancer() != null
                && ing.getStatus().getLoadBalancer().getIngress() != null
                && !ing.getStatus().getLoadBalancer().getIngress().isEmpty();
    }

    /** The class the controllers see: {@code spec.ingressClassName}, else the legacy annotation. */
    static String ingressClass(Ingress ing) {
        if (ing.getSpec() != null && ing.getSpec().getIngressClassName() != null) {
            return ing.getSpec().getIngressClassName();
        }
        return annotation(ing, LEGACY_CLASS);
    }

    private boolean mirrors(Ingress canary, Ingress primary, Slot to) {
        Ingress expected = Serialization.clone(primary);
        pointAt(expected, to);
        return Objects.equals(expected.getSpec(), canary.getSpec());
    }

    private void writeCanary(Slot to, int weight) {
        var ingresses = client.network().v1().ingresses().inNamespace(namespace);
        Ingress primary = readPrimary();
        Reconcile.createOrUpdate(ingresses, canaryName(), () -> {
            Ingress canary = new Ingress();
            canary.setMetadata(new ObjectMetaBuilder().withName(canaryName()).withNamespace(namespace)
                    .addToLabels(Names.APP_LABEL, app).addToLabels(Names.MANAGED_BY_LABEL, Names.MANAGER).build());
            return mirror(canary, primary, to, weight);
        }, existing -> mirror(existing, primary, to, weight));
    }

    /** {@code canary} as a copy of the primary's rules pointing at {@code to}, taking {@code weight} percent. */
    private Ingress mirror(Ingress canary, Ingress primary, Slot to, int weight) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(CANARY, "true");
        annotations.put(CANARY_WEIGHT, Integer.toString(weight));
        // The class decides which controller serves the canary: it must be the primary's, however it is set.
        String legacyClass = annotation(primary, LEGACY_CLASS);
        if (legacyClass != null) {
            annotations.put(LEGACY_CLASS, legacyClass);
        }
        canary.getMetadata().setAnnotations(annotations);
        // The canary mirrors the primary's hosts and paths (and spec.ingressClassName): NGINX pairs them by host and path.
        canary.setSpec(Serialization.clone(primary.getSpec()));
        pointAt(canary, to);
        return canary;
    }

    private void switchPrimary(Slot to) {
        Reconcile.update(client.network().v1().ingresses().inNamespace(namespace), ingress, this::missing, primary -> {
            pointAt(primary, to);
            return primary;
        });
    }

    /** Every backend naming one of our colour Services now names {@code to}'s. */
    private void pointAt(Ingress ing, Slot to) {
        String target = Names.slotObject(app, to);
        for (IngressBackend backend : backends(ing)) {
            if (backend.getService() != null && colourOf(backend.getService().getName()) != null) {
                backend.getService().setName(target);
            }
        }
    }

    private Slot primaryColour(Ingress primary) {
        List<Slot> slots = serviceColours(primary);
        if (slots.size() != 1) {
            throw new InvalidInputException("traffic.resource: Ingress " + namespace + "/" + ingress + " must send to"
                    + " exactly one of the Services " + Names.slotObject(app, Slot.A) + " or "
                    + Names.slotObject(app, Slot.B) + ", found " + slots);
        }
        return slots.get(0);
    }

    private List<Slot> serviceColours(Ingress ing) {
        List<Slot> slots = new ArrayList<>();
        for (IngressBackend backend : backends(ing)) {
            Slot c = backend.getService() == null ? null : colourOf(backend.getService().getName());
            if (c != null && !slots.contains(c)) {
                slots.add(c);
            }
        }
        return slots;
    }

    private Slot colourOf(String service) {
        for (Slot c : Slot.values()) {
            if (Names.slotObject(app, c).equals(service)) {
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
            throw missing();
        }
        return primary;
    }

    private InvalidInputException missing() {
        return missing("Ingress", ingress, "create it from manifests/nginx/ingress.yaml");
    }

    private static String annotation(Ingress ing, String key) {
        Map<String, String> a = ing.getMetadata().getAnnotations();
        return a == null ? null : a.get(key);
    }

    String canaryName() {
        return ingress + "-canary";
    }
}
