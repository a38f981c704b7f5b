package dev.botshift.state.kubernetes;

import dev.botshift.kubernetes.Conflicts;
import dev.botshift.kubernetes.Names;
import dev.botshift.kubernetes.Reconcile;
import dev.botshift.state.AppLock;
import dev.botshift.state.LockLostException;
import dev.botshift.state.StateConflictException;
import dev.botshift.state.StateStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The rollout state in ConfigMap {@code <app>-botshift-state}, data key {@code state.json}; the version is the
 * ConfigMap's resourceVersion, so compare-and-set is the API server's own optimistic concurrency. The lock is a
 * {@link LeaseLock}; a write is fenced by it: refused unless the Lease is still this acquisition, and stamped with the
 * Lease's transition count, so a stale holder can never write over a newer holder's state. Manual commands wait in
 * ConfigMap {@code <app>-botshift-requests}, one data key each (added and removed by read-modify-write updates,
 * retried on a conflict). The state never holds secrets (the rollout keeps them out), so a ConfigMap is
 * the right kind.
 *
 * @see dev.botshift.kubernetes.ApiAccess#CONFIG_MAPS the API calls it makes (granted by
 *      manifests/controller/rbac.yaml; the CLI's share by manifests/rbac.yaml)
 */
public final class ConfigMapStateStore implements StateStore {
    public static final String KEY = "state.json";
    /** The Lease transition count of the holder that wrote the state last. */
    public static final String FENCE_ANNOTATION = "botshift.dev/fence";

    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;
    private final LeaseLock.Wait wait;
    /** When this store first saw each Lease's record: a takeover's wait counts from there. */
    private final LeaseObservations seen;
    private final boolean ownsClient;

    /** A store on a client someone else owns (and closes). */
    public ConfigMapStateStore(KubernetesClient client, String namespace, Clock clock) {
        this(client, namespace, clock, LeaseLock.Wait.REAL, new LeaseObservations(System::nanoTime), false);
    }

    /**
     * @param wait how taking over an expired-looking lease waits while it watches it (tests move their clock); the
     *             time a lease stood unchanged is then measured on {@code clock}, the time that wait moves
     */
    public ConfigMapStateStore(KubernetesClient client, String namespace, Clock clock, LeaseLock.Wait wait) {
        this(client, namespace, clock, wait, new LeaseObservations(() -> {
            java.time.Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }), false);
    }

    private ConfigMapStateStore(KubernetesClient client, String namespace, Clock clock, LeaseLock.Wait wait,
                                LeaseObservations seen, boolean ownsClient) {
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
        this.wait = wait;
        this.seen = seen;
        this.ownsClient = ownsClient;
    }

    /** The client this store talks through (commands that also store a release use the same one). */
    public KubernetesClient client() {
        return client;
    }

    /** A store that owns {@code client}: closing the store closes it. */
    public static ConfigMapStateStore owning(KubernetesClient client, String namespace, Clock clock) {
        return new ConfigMapStateStore(client, namespace, clock, LeaseLock.Wait.REAL,
                new LeaseObservations(System::nanoTime), true);
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
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
    public Versioned write(String app, String json, String expectedVersion, AppLock lock) {
        if (!(lock instanceof LeaseLock lease) || !lease.app().equals(app)) {
            throw new IllegalArgumentException("a state write needs this store's lock of " + app + ", got " + lock);
        }
        Lease current = client.leases().inNamespace(namespace).withName(Names.lockLease(app)).get();
        if (!lease.ours(current)) {
            throw new LockLostException(app, "its Lease " + Names.lockLease(app) + " is held by "
                    + (current == null || current.getSpec() == null ? "nobody" : current.getSpec().getHolderIdentity())
                    + " now");
        }
        ConfigMap stored = client.configMaps().inNamespace(namespace).withName(Names.stateConfigMap(app)).get();
        String storedFence = stored == null || stored.getMetadata().getAnnotations() == null ? null
                : stored.getMetadata().getAnnotations().get(FENCE_ANNOTATION);
        if (storedFence != null && Integer.parseInt(storedFence) > lease.fence()) {
            throw new LockLostException(app, "a later holder of its Lease has written the state");
        }
        ConfigMap cm = new ConfigMapBuilder()
                .withNewMetadata().withName(Names.stateConfigMap(app)).withNamespace(namespace)
                .withResourceVersion(expectedVersion)
                .addToLabels(Names.APP_LABEL, app).addToLabels(Names.MANAGED_BY_LABEL, Names.MANAGER)
                .addToAnnotations(FENCE_ANNOTATION, Integer.toString(lease.fence()))
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
        return LeaseLock.acquire(client, namespace, app, holder, ttl, clock, wait, seen);
    }

    /** Notes the record of every Botshift Lease in the namespace (one list call). */
    @Override
    public void watchLocks() {
        for (Lease lease : client.leases().inNamespace(namespace).withLabel(Names.MANAGED_BY_LABEL, Names.MANAGER)
                .list().getItems()) {
            seen.unchangedFor(lease.getMetadata().getName(), lease.getMetadata().getResourceVersion());
        }
    }

    @Override
    public void request(String app, String id, String json) {
        // the key orders the inbox: arrival time, then the id
        String key = String.format("%020d-%s", clock.millis(), id);
        Reconcile.createOrUpdate(client.configMaps().inNamespace(namespace), Names.requestsConfigMap(app),
                () -> new ConfigMapBuilder().withNewMetadata().withName(Names.requestsConfigMap(app))
                        .withNamespace(namespace).addToLabels(Names.APP_LABEL, app)
                        .addToLabels(Names.MANAGED_BY_LABEL, Names.MANAGER).endMetadata().addToData(key, json).build(),
                current -> {
                    Map<String, String> data = current.getData() == null ? new HashMap<>() : new HashMap<>(current.getData());
                    data.put(key, json);
                    current.setData(data);
                    return current;
                });
    }

    @Override
    public LinkedHashMap<String, String> requests(String app) {
        ConfigMap inbox = client.configMaps().inNamespace(namespace).withName(Names.requestsConfigMap(app)).get();
        LinkedHashMap<String, String> result = new LinkedHashMap<>();
        if (inbox != null && inbox.getData() != null) {
            new TreeMap<>(inbox.getData()).forEach((key, json) -> result.put(key.substring(key.indexOf('-') + 1), json));
        }
        return result;
    }

    @Override
    public void consumed(String app, Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Reconcile.update(client.configMaps().inNamespace(namespace), Names.requestsConfigMap(app),
                () -> new IllegalStateException("the inbox " + Names.requestsConfigMap(app) + " is gone"), current -> {
                    Map<String, String> data = current.getData() == null ? new HashMap<>() : new HashMap<>(current.getData());
                    data.keySet().removeIf(k -> ids.contains(k.substring(k.indexOf('-') + 1)));
                    current.setData(data);
                    return current;
                });
    }
}
