package dev.botshift.traffic.router.kubernetes;

import dev.botshift.core.InvalidInputException;
import dev.botshift.kubernetes.ApiAccess;
import dev.botshift.traffic.router.RouterConfig;
import dev.botshift.traffic.router.RouterConfigJson;
import dev.botshift.traffic.router.RouterConfigSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-cluster router's config: key {@code config.json} of the ConfigMap {@code <app>-botshift-router}, which
 * the orchestrator's {@code botshift} traffic adapter writes at every step. The router watches that one ConfigMap
 * through an informer (a field-selected list and watch), so a change is in force as soon as the API server sends
 * the event, instead of after the kubelet's refresh of a mounted file (up to a minute). A document that does not
 * parse, or a deleted ConfigMap, is logged and ignored: the router keeps routing with the last good config.
 *
 * <p>Read-only: needs get, list and watch on that ConfigMap ({@code manifests/router/rbac.yaml}), nothing else. The
 * in-cluster router's admin API does not change the split (the orchestrator writes the ConfigMap), so a router pod
 * that is broken into cannot move traffic through the API server either.
 */
public final class ConfigMapRouterConfigSource implements RouterConfigSource {
    public static final String KEY = "config.json";
    /** What the router's ServiceAccount needs, on its one ConfigMap ({@code manifests/router/rbac.yaml}). */
    public static final Set<ApiAccess.Grant> API_ACCESS = Set.of(
            new ApiAccess.Grant("", "configmaps", "get"), new ApiAccess.Grant("", "configmaps", "list"),
            new ApiAccess.Grant("", "configmaps", "watch"));
    private static final Logger LOG = LoggerFactory.getLogger(ConfigMapRouterConfigSource.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final List<Consumer<RouterConfig>> listeners = new CopyOnWriteArrayList<>();
    private volatile RouterConfig current;
    private SharedIndexInformer<ConfigMap> informer;

    private ConfigMapRouterConfigSource(KubernetesClient client, String namespace, String name, RouterConfig initial) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.current = initial;
    }

    /**
     * Reads the ConfigMap and starts watching it. A missing ConfigMap means all traffic to blue and no backends
     * (the router then answers 503) until the orchestrator creates it; an unreadable one is refused.
     */
    public static ConfigMapRouterConfigSource open(KubernetesClient client, String namespace, String name) {
        ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
        RouterConfig initial = map == null ? RouterConfig.initial() : parse(map, namespace, name);
        ConfigMapRouterConfigSource source = new ConfigMapRouterConfigSource(client, namespace, name, initial);
        source.informer = client.configMaps().inNamespace(namespace).withName(name).inform(source.new Handler());
        return source;
    }

    /** Whether the watch is up (tests wait for it; the CRUD mock does not replay events from before it). */
    public boolean watching() {
        return informer.isWatching();
    }

    @Override
    public RouterConfig current() {
        return current;
    }

    /** Refused: the in-cluster router's split changes only through the ConfigMap (see the class comment). */
    @Override
    public void store(RouterConfig config) {
        throw new UnsupportedOperationException("ConfigMap " + namespace + "/" + name + " is changed by the orchestrator,"
                + " not through the router");
    }

    @Override
    public void onChange(Consumer<RouterConfig> listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }

    private static RouterConfig parse(ConfigMap map, String namespace, String name) {
        String origin = "ConfigMap " + namespace + "/" + name + " key " + KEY;
        String json = map.getData() == null ? null : map.getData().get(KEY);
        if (json == null) {
            throw new InvalidInputException(origin + ": missing");
        }
        return RouterConfigJson.parse(json.getBytes(StandardCharsets.UTF_8), origin, RouterConfig.initial());
    }

    private synchronized void changed(ConfigMap map) {
        RouterConfig config;
        try {
            config = parse(map, namespace, name);
        } catch (InvalidInputException e) {
            LOG.error("router config not reloaded, keeping the last good config: {}", e.getMessage());
            return;
        }
        if (!config.equals(current)) {
            current = config;
            listeners.forEach(l -> l.accept(config));
        }
    }

    private final class Handler implements ResourceEventHandler<ConfigMap> {
        @Override
        public void onAdd(ConfigMap map) {
            changed(map);
        }

        @Override
        public void onUpdate(ConfigMap old, ConfigMap map) {
            changed(map);
        }

        @Override
        public void onDelete(ConfigMap map, boolean finalStateUnknown) {
            LOG.error("ConfigMap {}/{} was deleted; routing on with the last config", namespace, name);
        }
    }
}
