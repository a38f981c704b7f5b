package dev.botshift.workload.kubernetes;

import dev.botshift.core.Slot;
import dev.botshift.kubernetes.Conflicts;
import dev.botshift.kubernetes.Names;
import dev.botshift.kubernetes.Reconcile;
import dev.botshift.workload.Readiness;
import dev.botshift.workload.Workloads;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Each colour is a Deployment and a Service named {@code <app>-<colour>}. Readiness and pod counts come from
 * informer caches (one watch each), so asking is cheap and nothing polls the API server.
 *
 * @see dev.botshift.kubernetes.ApiAccess#WORKLOADS the API calls it makes (granted by manifests/controller/rbac.yaml)
 */
public final class KubernetesWorkloads implements Workloads, AutoCloseable {
    /** a pod's default termination grace period: stop waits this on top of the drain timeout */
    private static final long GRACE_SECONDS = 30;

    private final KubernetesClient client;
    private final KubernetesWorkloadsConfig config;
    private final String namespace;
    /** generation our last write produced: the cache may still hold an older object for a moment */
    private final Map<Slot, Long> writtenGeneration = new ConcurrentHashMap<>();
    private final Map<Slot, Integer> writtenReplicas = new ConcurrentHashMap<>();
    private volatile SharedIndexInformer<Deployment> deployments;
    private volatile SharedIndexInformer<Pod> pods;

    public KubernetesWorkloads(KubernetesClient client, KubernetesWorkloadsConfig config) {
        this.client = client;
        this.config = config;
        this.namespace = config.namespace() == null ? client.getNamespace() : config.namespace();
    }

    @Override
    public void start(Slot slot, String version, int replicas) {
        ColourRelease release = new ColourRelease(config.app(), namespace, slot, version, config.image(), replicas,
                config.port(), config.progressDeadlineSeconds(), config.env());
        ensureService(slot);
        Deployment wanted = config.template().render(release);
        Deployment written = Reconcile.createOrUpdate(client.apps().deployments().inNamespace(namespace),
                wanted.getMetadata().getName(), () -> wanted, current -> {
                    if (sameRelease(current, wanted)) {
                        return current; // same release again: no write
                    }
                    current.getMetadata().setLabels(wanted.getMetadata().getLabels());
                    current.setSpec(wanted.getSpec());
                    return current;
                }).object();
        writtenReplicas.put(slot, replicas);
        if (written.getMetadata().getGeneration() != null) {
            writtenGeneration.put(slot, written.getMetadata().getGeneration());
        }
    }

    private static boolean sameRelease(Deployment current, Deployment wanted) {
        return Objects.equals(current.getSpec().getReplicas(), wanted.getSpec().getReplicas())
                && Objects.equals(versionOf(current), versionOf(wanted))
                && Objects.equals(images(current), images(wanted))
                && Objects.equals(current.getSpec().getProgressDeadlineSeconds(),
                wanted.getSpec().getProgressDeadlineSeconds());
    }

    private static String versionOf(Deployment d) {
        Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
        return labels == null ? null : labels.get(Names.VERSION_LABEL);
    }

    private static List<String> images(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().stream().map(c -> c.getImage()).toList();
    }

    /** The colour's Service, created when missing and otherwise left as it is (its selector never changes). */
    private void ensureService(Slot slot) {
        String name = Names.slotObject(config.app(), slot);
        Map<String, String> selector = DeploymentTemplate.selectorLabels(config.app(), slot);
        Reconcile.createOrUpdate(client.services().inNamespace(namespace), name, () -> new ServiceBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(selector)
                .addToLabels(Names.MANAGED_BY_LABEL, Names.MANAGER).endMetadata()
                .withNewSpec().withSelector(selector)
                .addNewPort().withName("http").withPort(config.port()).withNewTargetPort("http").withProtocol("TCP")
                .endPort().endSpec().build(), current -> current);
    }

    @Override
    public Readiness readiness(Slot slot) {
        String key = namespace + "/" + Names.slotObject(config.app(), slot);
        Deployment cached = deploymentCache().getStore().getByKey(key);
        Long written = writtenGeneration.get(slot);
        if (cached == null) {
            Integer replicas = writtenReplicas.get(slot);
            return replicas == null ? new Readiness.Absent() : new Readiness.Progressing(0, replicas);
        }
        Long seen = cached.getMetadata().getGeneration();
        if (written != null && seen != null && seen < written) {
            return new Readiness.Progressing(0, writtenReplicas.getOrDefault(slot, 0));
        }
        Readiness readiness = DeploymentReadiness.of(cached);
        if (readiness instanceof Readiness.Progressing p) {
            // the pods say why, where the Deployment only counts them
            Optional<String> trouble = PodTrouble.of(podCache().getStore().list().stream()
                    .filter(pod -> isColour(pod, slot)).toList(), pod -> ProbeAnswers.latest(client, namespace, pod));
            if (trouble.isPresent()) {
                return new Readiness.Progressing(p.ready(), p.desired(), trouble.get());
            }
        }
        return readiness;
    }

    @Override
    public int running(Slot slot) {
        return (int) podCache().getStore().list().stream().filter(p -> isColour(p, slot)).count();
    }

    @Override
    public void stop(Slot slot) {
        String name = Names.slotObject(config.app(), slot);
        // The pod watch is up before the scale-down, so no deletion can slip between a list and a watch.
        SharedIndexInformer<Pod> podWatch = podCache();
        var deployment = client.apps().deployments().inNamespace(namespace).withName(name);
        CompletableFuture<Void> gone = new CompletableFuture<>();
        ResourceEventHandler<Pod> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                check();
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                check();
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                check();
            }

            private void check() {
                if (running(slot) == 0) {
                    gone.complete(null);
                }
            }
        };
        podWatch.addEventHandler(handler);
        try {
            if (deployment.get() != null) {
                deployment.scale(0);
            }
            if (running(slot) == 0) {
                gone.complete(null);
            }
            awaitNoPods(slot, gone);
        } finally {
            podWatch.removeEventHandler(handler);
        }
        delete(() -> deployment.delete());
        delete(() -> client.services().inNamespace(namespace).withName(name).delete());
        writtenGeneration.remove(slot);
        writtenReplicas.remove(slot);
    }

    private void awaitNoPods(Slot slot, CompletableFuture<Void> gone) {
        long limit = config.drainTimeout().toSeconds() + GRACE_SECONDS;
        String what = Names.slotObject(config.app(), slot);
        try {
            gone.get(limit, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new DrainTimeoutException("pods of " + what + " in namespace " + namespace + " were still running "
                    + limit + "s after scaling to 0");
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for the pods of " + what + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DrainTimeoutException("interrupted while waiting for the pods of " + what + " to go");
        }
    }

    private static void delete(Runnable deletion) {
        try {
            deletion.run();
        } catch (KubernetesClientException e) {
            if (!Conflicts.isNotFound(e)) {
                throw e;
            }
        }
    }

    private boolean isColour(Pod pod, Slot slot) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels != null && slot.label().equals(labels.get(Names.SLOT_LABEL));
    }

    private SharedIndexInformer<Deployment> deploymentCache() {
        if (deployments == null) {
            synchronized (this) {
                if (deployments == null) {
                    deployments = client.apps().deployments().inNamespace(namespace)
                            .withLabel(Names.APP_LABEL, config.app()).inform();
                }
            }
        }
        return deployments;
    }

    private SharedIndexInformer<Pod> podCache() {
        if (pods == null) {
            synchronized (this) {
                if (pods == null) {
                    pods = client.pods().inNamespace(namespace).withLabel(Names.APP_LABEL, config.app()).inform();
                }
            }
        }
        return pods;
    }

    /**
     * Starts both caches and tells whether their watches are up. A real API server replays what happened between a
     * cache's list and its watch; Fabric8's CRUD mock does not, so tests wait for this before writing.
     */
    public boolean watching() {
        return deploymentCache().isWatching() && podCache().isWatching();
    }

    /** Stops the watches; the client belongs to the caller. */
    @Override
    public synchronized void close() {
        if (deployments != null) {
            deployments.close();
        }
        if (pods != null) {
            pods.close();
        }
    }
}
