package dev.botshift.traffic.serviceselector;

import dev.botshift.core.Slot;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.Weights;
import dev.botshift.kubernetes.Names;
import dev.botshift.plan.TrafficSpec;
import dev.botshift.kubernetes.KubernetesRouter;
import dev.botshift.traffic.WeightCheck;
import dev.botshift.kubernetes.Reconcile;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Switches the app's Service (the one the webhook reaches) from one colour to the other by its selector label
 * {@code botshift.dev/slot}: all at once, so only 0/100 splits exist. Plans using it have {@code steps: [100]}.
 *
 * @see dev.botshift.kubernetes.ApiAccess#SERVICE_SELECTOR the API calls it makes (granted by manifests/controller/rbac.yaml)
 */
public final class ServiceSelectorRouter extends KubernetesRouter {
    private final String service;

    public ServiceSelectorRouter(KubernetesClient client, String namespace, String app, String service) {
        super(client, namespace, app);
        this.service = service;
    }

    @Override
    public void setWeights(Weights weights) {
        if (weights.a() != 100 && weights.b() != 100) {
            throw new InvalidInputException("router " + TrafficSpec.SERVICE_SELECTOR + " switches all at once and cannot set "
                    + weights);
        }
        Slot to = weights.a() == 100 ? Slot.A : Slot.B;
        // one selector label changes: the other labels and everything else stay as they are
        Reconcile.update(client.services().inNamespace(namespace), service, this::missing, current -> {
            Map<String, String> selector = new LinkedHashMap<>(current.getSpec().getSelector() == null
                    ? Map.of() : current.getSpec().getSelector());
            selector.put(Names.SLOT_LABEL, to.label());
            current.getSpec().setSelector(selector);
            return current;
        });
    }

    /**
     * What the Service selects. It must select the app ({@code app.kubernetes.io/name}) as well as a colour:
     * without it, every app's pods of that colour in the namespace would receive this webhook's traffic.
     */
    @Override
    public WeightCheck verify(Weights expected) {
        Service s = client.services().inNamespace(namespace).withName(service).get();
        if (s == null) {
            throw missing();
        }
        Map<String, String> selector = s.getSpec() == null || s.getSpec().getSelector() == null
                ? Map.of() : s.getSpec().getSelector();
        if (!app.equals(selector.get(Names.APP_LABEL))) {
            return new WeightCheck.Unknown("Service " + service + " does not select " + Names.APP_LABEL + "=" + app
                    + ", so it sends to any app's pods of a colour");
        }
        String slot = selector.get(Names.SLOT_LABEL);
        Slot selected = Arrays.stream(Slot.values()).filter(c -> c.label().equals(slot)).findFirst().orElse(null);
        if (selected == null) {
            return new WeightCheck.Unknown("Service " + service + " selects neither slot (" + Names.SLOT_LABEL + "="
                    + slot + ")");
        }
        Weights actual = Weights.allTo(selected);
        return actual.equals(expected) ? new WeightCheck.Matches() : new WeightCheck.Differs(actual);
    }

    private InvalidInputException missing() {
        return missing("Service", service, "");
    }
}
