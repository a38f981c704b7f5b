package dev.botshift.kubernetes.testing;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Stands in for the Deployment controller and the kubelets on top of Fabric8's CRUD mock, which stores objects but
 * runs no controllers: it watches Deployments and, per {@link Policy}, keeps labelled pods and the status in line
 * with the spec, or lets the progress deadline pass.
 */
public final class Kubelet implements AutoCloseable {

    /** What happens to a Deployment. */
    public sealed interface Policy {
        /** pods are created and become ready at once */
        record Ready() implements Policy { }

        /** pods are created but never pass their readiness probe; after {@code deadline} the rollout fails */
        record NeverReady(Duration deadline) implements Policy { }

        /** the rollout stops at {@code stage} until {@link Kubelet#complete} lets it finish */
        record Stalled(Stage stage) implements Policy { }
    }

    /**
     * Intermediate statuses a real Deployment controller reports during a rolling update (what {@code kubectl
     * rollout status} waits through), for {@code desired} replicas.
     */
    public enum Stage {
        /** the controller has not yet seen the new spec: the status (all ready) is the previous generation's */
        SPEC_NOT_OBSERVED,
        /** one replica still runs the previous pod template */
        NEW_REPLICAS_UPDATING,
        /** all replicas updated, one of them not ready yet, and one old pod still ready and serving */
        OLD_REPLICAS_PENDING,
        /** all updated and ready, but one not yet ready for {@code minReadySeconds}, so not available */
        NOT_YET_AVAILABLE;

        public DeploymentStatus status(Deployment d) {
            int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            long generation = d.getMetadata().getGeneration() == null ? 1 : d.getMetadata().getGeneration();
            DeploymentStatusBuilder s = new DeploymentStatusBuilder().withObservedGeneration(generation);
            return switch (this) {
                case SPEC_NOT_OBSERVED -> s.withObservedGeneration(generation - 1).withReplicas(desired)
                        .withUpdatedReplicas(desired).withReadyReplicas(desired).withAvailableReplicas(desired).build();
                case NEW_REPLICAS_UPDATING -> s.withReplicas(desired).withUpdatedReplicas(desired - 1)
                        .withReadyReplicas(desired).withAvailableReplicas(desired).build();
                case OLD_REPLICAS_PENDING -> s.withReplicas(desired + 1).withUpdatedReplicas(desired)
                        .withReadyReplicas(desired).withAvailableReplicas(desired).withUnavailableReplicas(1).build();
                case NOT_YET_AVAILABLE -> s.withReplicas(desired).withUpdatedReplicas(desired)
                        .withReadyReplicas(desired).withAvailableReplicas(desired - 1).withUnavailableReplicas(1).build();
            };
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final Function<Deployment, Policy> policy;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final SharedIndexInformer<Deployment> informer;
    /** Deployments whose stalled rollout was let finish */
    private final java.util.Set<String> completed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Kubelet(KubernetesClient client, String namespace, Function<Deployment, Policy> policy) {
        this.client = client;
        this.namespace = namespace;
        this.policy = policy;
        this.informer = client.apps().deployments().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Deployment d) {
                reconcile(d);
            }

            @Override
            public void onUpdate(Deployment old, Deployment d) {
                reconcile(d);
            }

            @Override
            public void onDelete(Deployment d, boolean unknown) {
                deletePods(d, 0);
            }
        });
    }

    /** Returns once the fixture's watch is up: the CRUD mock does not replay events from before it. */
    public static Kubelet start(KubernetesClient client, String namespace, Function<Deployment, Policy> policy) {
        Kubelet kubelet = new Kubelet(client, namespace, policy);
        Eventually.await(Duration.ofSeconds(10), "kubelet watching deployments", kubelet.informer::isWatching);
        return kubelet;
    }

    public static Kubelet start(KubernetesClient client, String namespace, Policy policy) {
        return start(client, namespace, d -> policy);
    }

    /** Lets a {@link Policy.Stalled} Deployment's rollout finish: all replicas updated and available. */
    public synchronized void complete(String name) {
        completed.add(name);
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
        if (d != null) {
            writeStatus(d, d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas(), null);
        }
    }

    /**
     * The pod's containers were ended by {@code reason} ({@code OOMKilled}, {@code Error}) and started again, as a
     * kubelet reports it: the restart count up by one, the reason in the last state.
     */
    public synchronized void kill(String pod, String reason) {
        Pod p = client.pods().inNamespace(namespace).withName(pod).get();
        for (ContainerStatus c : p.getStatus().getContainerStatuses()) {
            c.setRestartCount(c.getRestartCount() + 1);
            c.setLastState(new ContainerStateBuilder().withNewTerminated().withReason(reason).withExitCode(137)
                    .endTerminated().build());
        }
        client.pods().inNamespace(namespace).resource(p).updateStatus();
    }

    private synchronized void reconcile(Deployment d) {
        Policy stalled = policy.apply(d);
        if (stalled instanceof Policy.Stalled st && !completed.contains(d.getMetadata().getName())) {
            DeploymentStatus wanted = st.stage().status(d);
            if (!wanted.equals(d.getStatus())) {
                for (int i = podsOf(d).size(); i < (d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas()); i++) {
                    createPod(d, i);
                }
                write(d.getMetadata().getName(), wanted);
            }
            return;
        }
        Long generation = d.getMetadata().getGeneration();
        DeploymentStatus status = d.getStatus();
        if (status != null && generation != null && generation.equals(status.getObservedGeneration())
                && statusMatches(d)) {
            return; // our own status write coming back
        }
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        List<Pod> pods = podsOf(d);
        deletePods(d, desired);
        for (int i = pods.size(); i < desired; i++) {
            createPod(d, i);
        }
        Policy p = policy.apply(d);
        if (p instanceof Policy.Ready || p instanceof Policy.Stalled || desired == 0) {
            writeStatus(d, desired, null);
        } else if (p instanceof Policy.NeverReady never) {
            writeStatus(d, 0, null);
            timer.schedule(() -> expire(d.getMetadata().getName()), never.deadline().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private boolean statusMatches(Deployment d) {
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        Integer replicas = d.getStatus().getReplicas();
        return replicas != null && replicas == desired;
    }

    private synchronized void expire(String name) {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
        if (d == null) {
            return;
        }
        DeploymentCondition exceeded = new DeploymentConditionBuilder().withType("Progressing").withStatus("False")
                .withReason("ProgressDeadlineExceeded")
                .withMessage("ReplicaSet \"" + name + "\" has timed out progressing.").build();
        writeStatus(d, 0, exceeded);
    }

    private void writeStatus(Deployment d, int ready, DeploymentCondition condition) {
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        DeploymentStatusBuilder status = new DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(desired).withUpdatedReplicas(desired)
                .withReadyReplicas(ready).withAvailableReplicas(ready).withUnavailableReplicas(desired - ready);
        if (condition != null) {
            status.withConditions(condition);
        }
        write(d.getMetadata().getName(), status.build());
    }

    private void write(String name, DeploymentStatus status) {
        Deployment copy = client.apps().deployments().inNamespace(namespace).withName(name).get();
        if (copy == null) {
            return;
        }
        copy.setStatus(status);
        try {
            client.apps().deployments().inNamespace(namespace).resource(copy).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 404) {
                throw e;
            }
        }
    }

    private List<Pod> podsOf(Deployment d) {
        return client.pods().inNamespace(namespace).withLabels(d.getSpec().getSelector().getMatchLabels())
                .list().getItems();
    }

    private void createPod(Deployment d, int index) {
        Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
        // as a kubelet reports a started pod: each container running, never restarted; ready unless its Deployment
        // never gets ready (its readiness probe failing)
        boolean ready = !(policy.apply(d) instanceof Policy.NeverReady);
        List<ContainerStatus> running = d.getSpec().getTemplate().getSpec().getContainers().stream()
                .map(c -> new ContainerStatusBuilder().withName(c.getName()).withRestartCount(0).withReady(ready)
                        .withNewState().withNewRunning().endRunning().endState().build()).toList();
        Pod pod = new PodBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(d.getMetadata().getName() + "-" + index)
                        .withNamespace(namespace).withLabels(labels).build())
                .withSpec(d.getSpec().getTemplate().getSpec())
                .withNewStatus().withPhase("Running").withContainerStatuses(running).endStatus()
                .build();
        try {
            client.pods().inNamespace(namespace).resource(pod).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    private void deletePods(Deployment d, int keep) {
        List<Pod> pods = new ArrayList<>(podsOf(d));
        pods.sort((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()));
        for (Pod pod : pods.subList(Math.min(keep, pods.size()), pods.size())) {
            client.pods().inNamespace(namespace).resource(pod).delete();
        }
    }

    @Override
    public void close() {
        informer.close();
        timer.shutdownNow();
    }
}
