package dev.botshift.traffic.serviceselector;

import dev.botshift.core.Colour;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.Weights;
import dev.botshift.kubernetes.Names;
import dev.botshift.plan.TrafficSpec;
import dev.botshift.traffic.TrafficRouter;
import dev.botshift.traffic.WeightCheck;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;

/**
 * Switches the app's Service (the one the webhook reaches) from one colour to the other by its selector label
 * {@code botshift.dev/colour}: all at once, so only 0/100 splits exist. Plans using it have {@code steps: [100]}.
 *
 * @see dev.botshift.kubernetes.ApiAccess#SERVICE_SELECTOR the API calls it makes (granted by manifests/rbac.yaml)
 */
public final class ServiceSelectorRouter implements TrafficRouter {
    private final KubernetesClient client;
    private final String namespace;
    private final String service;

    public ServiceSelectorRouter(KubernetesClient client, String namespace, String service) {
        this.client = client;
        this.namespace = namespace;
        this.service = service;
    }

    @Override
    public void setWeights(Weights weights) {
        if (weights.blue() != 100 && weights.green() != 100) {
            throw new InvalidInputException("router " + TrafficSpec.SERVICE_SELECTOR + " switches all at once and cannot set "
                    + weights);
        }
        Colour to = weights.blue() == 100 ? Colour.BLUE : Colour.GREEN;
        read();
        // JSON merge patch of one label: other selector labels and everything else stay as they are
        String patch = "{\"spec\":{\"selector\":{\"" + Names.COLOUR_LABEL + "\":\"" + to.label() + "\"}}}";
        client.services().inNamespace(namespace).withName(service)
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    @Override
    public WeightCheck verify(Weights expected) {
        Map<String, String> selector = read().getSpec().getSelector();
        String colour = selector == null ? null : selector.get(Names.COLOUR_LABEL);
        if (colour == null) {
            return new WeightCheck.Unknown("Service " + service + " selects no colour (no " + Names.COLOUR_LABEL + ")");
        }
        Weights actual = Weights.allTo(Colour.valueOf(colour.toUpperCase(java.util.Locale.ROOT)));
        return actual.equals(expected) ? new WeightCheck.Matches() : new WeightCheck.Differs(actual);
    }

    private Service read() {
        Service s = client.services().inNamespace(namespace).withName(service).get();
        if (s == null) {
            throw new InvalidInputException("traffic.resource: Service " + namespace + "/" + service + " does not exist");
        }
        return s;
    }
}
