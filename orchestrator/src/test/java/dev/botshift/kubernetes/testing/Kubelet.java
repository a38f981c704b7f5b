package dev.botshift.kubernetes.testing;

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
    }

    private final KubernetesClient client;
    private final String namespace;
    private final Function<Deployment, Policy> policy;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final SharedIndexInformer<Deployment> informer;

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

    private synchronized void reconcile(Deployment d) {
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
        if (p instanceof Policy.Ready || desired == 0) {
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
        Deployment copy = client.apps().deployments().inNamespace(namespace).withName(d.getMetadata().getName()).get();
        if (copy == null) {
            return;
        }
        copy.setStatus(status.build());
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
        Pod pod = new PodBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(d.getMetadata().getName() + "-" + index)
                        .withNamespace(namespace).withLabels(labels).build())
                .withSpec(d.getSpec().getTemplate().getSpec())
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
