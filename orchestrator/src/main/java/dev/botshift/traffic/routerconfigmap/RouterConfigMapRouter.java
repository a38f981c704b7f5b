package dev.botshift.traffic.routerconfigmap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.kubernetes.Names;
import dev.botshift.kubernetes.Reconcile;
import dev.botshift.kubernetes.KubernetesRouter;
import dev.botshift.traffic.WeightCheck;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The in-cluster Botshift router reads its split from the ConfigMap {@code <app>-botshift-router}, data key
 * {@code config.json}: {@code {"weights":{"a":..,"b":..},"backends":{"blue":["http://<app>-blue:<port>"],..},
 * "stickyBy":".."}}. This adapter writes that document; the router ({@code botshift router --configmap}) watches the
 * ConfigMap through the API ({@code traffic.router.kubernetes.ConfigMapRouterConfigSource}) and applies a change
 * as soon as the watch event arrives.
 *
 * @see dev.botshift.kubernetes.ApiAccess#CONFIG_MAPS the API calls it makes (granted by manifests/controller/rbac.yaml)
 */
public final class RouterConfigMapRouter extends KubernetesRouter {
    public static final String KEY = "config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final String stickyBy;

    public RouterConfigMapRouter(KubernetesClient client, String namespace, String app, int port, String stickyBy) {
        super(client, namespace, app);
        this.port = port;
        this.stickyBy = stickyBy;
    }

    @Override
    public void setWeights(Weights weights) {
        String config = document(weights);
        String name = Names.routerConfigMap(app);
        Reconcile.createOrUpdate(client.configMaps().inNamespace(namespace), name,
                () -> new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                        .addToLabels(Names.APP_LABEL, app).addToLabels(Names.MANAGED_BY_LABEL, Names.MANAGER)
                        .endMetadata().addToData(KEY, config).build(),
                current -> {
                    // other keys are kept: the manifest's ConfigMap may carry more than the routing document
                    Map<String, String> data = current.getData() == null ? new LinkedHashMap<>()
                            : new LinkedHashMap<>(current.getData());
                    data.put(KEY, config);
                    current.setData(data);
                    return current;
                });
    }

    /**
     * Reads back what the routers will apply: the weights, and that the rest of the routing (the colours' backends,
     * the sticky field) is what this adapter writes, since a hand-edited backend would send a colour's share
     * elsewhere. Whether each replica applied it, only its own admin API (on 127.0.0.1 in its pod) can tell; a
     * router that watches the ConfigMap does so within about a second of the write.
     */
    @Override
    public WeightCheck verify(Weights expected) {
        String name = Names.routerConfigMap(app);
        ConfigMap current = client.configMaps().inNamespace(namespace).withName(name).get();
        if (current == null || current.getData() == null || current.getData().get(KEY) == null) {
            return new WeightCheck.Unknown("ConfigMap " + name + " has no " + KEY + " yet");
        }
        try {
            JsonNode stored = JSON.readTree(current.getData().get(KEY));
            JsonNode weights = stored.path("weights");
            if (!weights.path(Slot.A.label()).isInt() || !weights.path(Slot.B.label()).isInt()) {
                return new WeightCheck.Unknown(KEY + " of " + name + " has no integer weights");
            }
            Weights actual = new Weights(weights.get(Slot.A.label()).asInt(), weights.get(Slot.B.label()).asInt());
            if (!actual.equals(expected)) {
                return new WeightCheck.Differs(actual);
            }
            JsonNode wanted = JSON.readTree(document(expected));
            for (String field : new String[]{"backends", "stickyBy"}) {
                if (!wanted.path(field).equals(stored.path(field))) {
                    return new WeightCheck.Unknown(KEY + " of " + name + " has " + field + " " + stored.path(field)
                            + ", not " + wanted.path(field));
                }
            }
            return new WeightCheck.Matches();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return new WeightCheck.Unknown(KEY + " of " + name + " is unreadable: " + e.getMessage());
        }
    }

    String document(Weights weights) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode w = root.putObject("weights");
        w.put(Slot.A.label(), weights.a());
        w.put(Slot.B.label(), weights.b());
        ObjectNode backends = root.putObject("backends");
        for (Slot c : Slot.values()) {
            backends.putArray(c.label()).add("http://" + Names.slotObject(app, c) + ":" + port);
        }
        if (stickyBy != null) {
            root.put("stickyBy", stickyBy);
        }
        return root.toString();
    }
}
