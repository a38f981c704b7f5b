package dev.botshift.kubernetes;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every (apiGroup, resource, verb) Botshift calls on Kubernetes: per adapter (their union {@link #USED} is what a
 * rollout's driver calls), the controller's ({@link #CONTROLLER}, granted by {@code manifests/controller/rbac.yaml})
 * and the CLI's ({@link #CLI}, granted by {@code manifests/rbac.yaml}). Tests hold the Roles to these sets and the
 * requests made to the Roles: code that starts calling something new must say so here, and a Role grows with it,
 * never beyond.
 */
public final class ApiAccess {

    /** One RBAC permission; {@code apiGroup} is "" for the core group. */
    public record Grant(String apiGroup, String resource, String verb) {
    }

    /**
     * KubernetesWorkloads: create/update Deployments, scale to 0, delete; informers on Deployments and Pods; a pod's
     * Events, for what its readiness probe answered (ProbeAnswers).
     */
    public static final Set<Grant> WORKLOADS = grants(
            group("apps", "deployments", "get", "list", "watch", "create", "update", "delete"),
            group("apps", "deployments/scale", "get", "update"),
            group("", "services", "get", "create", "delete"),
            group("", "pods", "list", "watch"),
            group("", "events", "list"));

    /** KubernetesEvents: list the app's Deployments, merge-patch their annotations, create Events. */
    public static final Set<Grant> EVENTS = grants(
            group("apps", "deployments", "list", "patch"),
            group("", "events", "create"));

    /** HttpRouteRouter: read-modify-write of the HTTPRoute. */
    public static final Set<Grant> GATEWAY_API = grants(
            group("gateway.networking.k8s.io", "httproutes", "get", "update"));

    /** NginxCanaryRouter: reads the primary Ingress, writes it and the canary Ingress. */
    public static final Set<Grant> NGINX = grants(
            group("networking.k8s.io", "ingresses", "get", "create", "update"));

    /** ServiceSelectorRouter: read-modify-write of the app Service's selector. */
    public static final Set<Grant> SERVICE_SELECTOR = grants(
            group("", "services", "get", "update"));

    /** RouterConfigMapRouter and ConfigMapStateStore: read-modify-write of their ConfigMaps. */
    public static final Set<Grant> CONFIG_MAPS = grants(
            group("", "configmaps", "get", "create", "update"));

    /**
     * PollingRouterDeployment: lists the app's router Deployments (a polling one must run one pod at a time); within
     * {@link #WORKLOADS}' grants.
     */
    public static final Set<Grant> POLLING_ROUTER = grants(
            group("apps", "deployments", "list"));

    /** LeaseLock. */
    public static final Set<Grant> LEASES = grants(
            group("coordination.k8s.io", "leases", "get", "create", "update"));

    /**
     * The controller's informer on the namespace's Botshift ConfigMaps (selected by label, so not by name), which
     * finds the open rollouts.
     */
    public static final Set<Grant> CONTROLLER_INFORMER = grants(
            group("", "configmaps", "list", "watch"));

    /**
     * The controller's look at the namespace's Botshift Leases every round ({@code StateStore.watchLocks}), so that a
     * replica taking over counts a dead holder's Lease as unchanged from when it first saw it.
     */
    public static final Set<Grant> CONTROLLER_LEASE_WATCH = grants(
            group("coordination.k8s.io", "leases", "list"));

    /**
     * The CLI on Kubernetes, where the controller drives every rollout: a release submitted (the app's Lease, the
     * state, requests and release ConfigMaps), requests handed in, the state followed, the controller's leadership
     * Lease read. Nothing of the adapters'.
     */
    public static final Set<Grant> CLI = grants(
            group("", "configmaps", "get", "create", "update"),
            group("coordination.k8s.io", "leases", "get", "create", "update"));

    /** What a rollout's driver calls: the adapters, the state and the app's Lease (see {@link #CONTROLLER}). */
    public static final Set<Grant> USED = grants(Stream.of(WORKLOADS, EVENTS, GATEWAY_API, NGINX, SERVICE_SELECTOR,
            CONFIG_MAPS, POLLING_ROUTER, LEASES).flatMap(Set::stream));

    /**
     * What {@code manifests/controller/rbac.yaml} grants the {@code botshift-controller} ServiceAccount: every adapter
     * a rollout runs on, the state, inbox and release ConfigMaps, the app Leases and its own leadership Lease, the
     * informer, and the list of the Leases.
     */
    public static final Set<Grant> CONTROLLER = grants(Stream.of(USED, CONTROLLER_INFORMER, CONTROLLER_LEASE_WATCH)
            .flatMap(Set::stream));

    private ApiAccess() {
    }

    private static Stream<Grant> group(String apiGroup, String resource, String... verbs) {
        return Stream.of(verbs).map(v -> new Grant(apiGroup, resource, v));
    }

    @SafeVarargs
    private static Set<Grant> grants(Stream<Grant>... groups) {
        return grants(Stream.of(groups).flatMap(s -> s));
    }

    private static Set<Grant> grants(Stream<Grant> all) {
        Set<Grant> out = new LinkedHashSet<>();
        all.forEach(out::add);
        return Set.copyOf(out);
    }
}
