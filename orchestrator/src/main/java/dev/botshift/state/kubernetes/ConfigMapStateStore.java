package dev.botshift.state.kubernetes;

import dev.botshift.kubernetes.Conflicts;
import dev.botshift.kubernetes.Names;
import dev.botshift.state.AppLock;
import dev.botshift.state.StateConflictException;
import dev.botshift.state.StateStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The rollout state in ConfigMap {@code <app>-botshift-state}, data key {@code state.json}; the version is the
 * ConfigMap's resourceVersion, so compare-and-set is the API server's own optimistic concurrency. The lock is a
 * {@link LeaseLock}. The state never holds secrets (the rollout keeps them out), so a ConfigMap is the right kind.
 *
 * @see dev.botshift.kubernetes.ApiAccess#CONFIG_MAPS the API calls it makes (granted by manifests/rbac.yaml)
 */
public final class ConfigMapStateStore implements StateStore {
    public static final String KEY = "state.json";

    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;
    private final LeaseLock.Wait wait;

    public ConfigMapStateStore(KubernetesClient client, String namespace, Clock clock) {
        this(client, namespace, clock, LeaseLock.Wait.REAL);
    }

    /** @param wait how taking over an expired-looking lease waits while it watches it (tests move their clock) */
    public ConfigMapStateStore(KubernetesClient client, String namespace, Clock clock, LeaseLock.Wait wait) {
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
        this.wait = wait;
    }

    @Override
    public Optional<Versioned> read(String app) {
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(Names.stateConfigMap(app)).get();
        if (cm == null || cm.getData() == null || cm.getData().get(KEY) == null) {
            return Optional.empty();
        }
        return Optional.of(new Versioned(cm.getData().get(KEY), cm.getMetadata().getResourceVersion()));
    }

    @Override
    public Versioned write(String app, String json, String expectedVersion) {
        ConfigMap cm = new ConfigMapBuilder()
                .withNewMetadata().withName(Names.stateConfigMap(app)).withNamespace(namespace)
                .withResourceVersion(expectedVersion)
                .addToLabels(Names.APP_LABEL, app).addToLabels(Names.MANAGED_BY_LABEL, Names.MANAGER)
                .endMetadata().addToData(KEY, json).build();
        try {
            ConfigMap written = expectedVersion == null
                    ? client.configMaps().inNamespace(namespace).resource(cm).create()
                    // an update carrying resourceVersion is refused with 409 when the stored one moved on
                    : client.configMaps().inNamespace(namespace).resource(cm).update();
            return new Versioned(json, written.getMetadata().getResourceVersion());
        } catch (KubernetesClientException e) {
            if (Conflicts.isConflict(e) || Conflicts.isNotFound(e)) {
                throw new StateConflictException(app);
            }
            throw e;
        }
    }

    @Override
    public AppLock lock(String app, String holder, Duration ttl) {
        return LeaseLock.acquire(client, namespace, app, holder, ttl, clock, wait);
    }
}
