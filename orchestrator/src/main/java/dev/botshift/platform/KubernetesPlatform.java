package dev.botshift.platform;

import dev.botshift.analysis.kubernetes.PodRestartSignals;
import dev.botshift.analysis.prometheus.PrometheusMetricsProvider;
import dev.botshift.core.InvalidInputException;
import dev.botshift.kubernetes.KubernetesClients;
import dev.botshift.kubernetes.KubernetesEvents;
import dev.botshift.plan.AnalysisSpec;
import dev.botshift.plan.Plan;
import dev.botshift.plan.TrafficSpec;
import dev.botshift.plan.WorkloadSpec.KubernetesSpec;
import dev.botshift.rollout.Ports;
import dev.botshift.rollout.Repairs;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutListener;
import dev.botshift.rollout.RolloutState;
import dev.botshift.schema.SchemaMigrator;
import dev.botshift.state.StateStore;
import dev.botshift.state.kubernetes.ConfigMapStateStore;
import dev.botshift.traffic.TrafficRouter;
import dev.botshift.traffic.gatewayapi.HttpRouteRouter;
import dev.botshift.traffic.nginx.NginxCanaryRouter;
import dev.botshift.traffic.routerconfigmap.PollingRouterDeployment;
import dev.botshift.traffic.routerconfigmap.RouterConfigMapRouter;
import dev.botshift.traffic.serviceselector.ServiceSelectorRouter;
import dev.botshift.workload.kubernetes.KubernetesWorkloads;
import dev.botshift.workload.kubernetes.KubernetesWorkloadsConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;

/** Kubernetes: Deployments per colour, a router adapter, Prometheus analysis, state in a ConfigMap with a Lease lock. */
final class KubernetesPlatform implements Platform {
    private final KubernetesClient client;
    private final KubernetesWorkloads workloads;
    private final Ports ports;
    private final List<RolloutListener> listeners;

    private final boolean ownsClient;

    private KubernetesPlatform(KubernetesClient client, boolean ownsClient, KubernetesWorkloads workloads, Ports ports,
                               List<RolloutListener> listeners) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.workloads = workloads;
        this.ports = ports;
        this.listeners = listeners;
    }

    /** The platform on its own client, closed with it: the one client of this run. */
    static Platform open(Plan plan, SchemaMigrator schema) {
        KubernetesClient client = KubernetesClients.connect(plan.workload().kubernetes().namespace());
        return assemble(plan, client, true, schema, Clock.systemUTC());
    }

    /**
     * The platform on a given client: production connects its own ({@link #open}); tests hand in the CRUD mock's
     * client and a schema fake, since the database is not what they prove.
     *
     * @param ownsClient whether {@link #close()} closes {@code client}
     */
    static KubernetesPlatform assemble(Plan plan, KubernetesClient client, boolean ownsClient, SchemaMigrator schema,
                                       Clock clock) {
        KubernetesSpec k = plan.workload().kubernetes();
        StateStore store = new ConfigMapStateStore(client, k.namespace(), clock);
        KubernetesWorkloads workloads = new KubernetesWorkloads(client, KubernetesWorkloadsConfig.fromPlan(plan));
        Ports ports = new Ports(schema, workloads, router(plan, client), prometheus(plan), store, Repairs.NONE,
                CheckProviders.of(plan, null), new PodRestartSignals(client, k.namespace(), plan.name()));
        KubernetesEvents events = new KubernetesEvents(client, k.namespace(), clock, Identity.who());
        RolloutListener publisher = (event, state) -> publish(events, event, state);
        return new KubernetesPlatform(client, ownsClient, workloads, ports, List.of(publisher));
    }

    /** Whether the workload informers are up (tests wait for it: the CRUD mock does not replay earlier events). */
    boolean watching() {
        return workloads.watching();
    }

    /** A store on its own client, closed with the store (commands that only read or request). */
    static StateStore stateStore(String namespace) {
        return ConfigMapStateStore.owning(KubernetesClients.connect(namespace), namespace, Clock.systemUTC());
    }

    /** The prometheus provider of a plan (also usable on the local platform). */
    static PrometheusMetricsProvider prometheus(Plan plan) {
        if (!AnalysisSpec.PROMETHEUS.equals(plan.analysis().provider())) {
            throw new InvalidInputException(plan.source() + ": analysis.provider: '" + plan.analysis().provider()
                    + "' reads the Botshift router and the bots from this machine; on kubernetes use 'prometheus'");
        }
        String namespace = plan.workload().kubernetes() == null ? "" : plan.workload().kubernetes().namespace();
        try {
            return new PrometheusMetricsProvider(plan.analysis().prometheus(),
                    new PrometheusMetricsProvider.Scope(plan.name(), namespace, plan.analysis().interval()),
                    plan.analysis().metrics());
        } catch (InvalidInputException e) {
            // a query template the provider refuses names its field; the file goes first, as in every plan refusal
            throw new InvalidInputException(plan.source() + ": " + e.getMessage(), e);
        }
    }

    private static TrafficRouter router(Plan plan, KubernetesClient client) {
        KubernetesSpec k = plan.workload().kubernetes();
        String resource = plan.traffic().resource();
        return switch (plan.traffic().router()) {
            case TrafficSpec.GATEWAY_API -> new HttpRouteRouter(client, k.namespace(), plan.name(), resource, k.port());
            case TrafficSpec.NGINX_INGRESS -> new NginxCanaryRouter(client, k.namespace(), plan.name(), resource);
            case TrafficSpec.SERVICE_SELECTOR -> new ServiceSelectorRouter(client, k.namespace(), plan.name(), resource);
            case TrafficSpec.BOTSHIFT -> {
                if (plan.traffic().polls()) {
                    PollingRouterDeployment.check(client, k.namespace(), plan.name());
                }
                yield new RouterConfigMapRouter(client, k.namespace(), plan.name(), k.port(), plan.traffic().stickyBy());
            }
            default -> throw new InvalidInputException(plan.source() + ": traffic.router: unknown router '"
                    + plan.traffic().router() + "'");
        };
    }

    private static void publish(KubernetesEvents events, RolloutEvent event, RolloutState state) {
        if (event instanceof RolloutEvent.PhaseChanged p) {
            events.phaseChanged(state.app(), p.to().code(), p.describe());
        } else if (event instanceof RolloutEvent.TrafficShifted t) {
            events.splitChanged(state.app(), t.split());
        } else if (event instanceof RolloutEvent.RolledBack r) {
            events.rolledBack(state.app(), r.reason());
        } else if (event instanceof RolloutEvent.CommandAccepted c && c.command().promotes()) {
            events.promoted(state.app(), state.release());
        }
    }

    @Override
    public StateStore store() {
        return ports.store();
    }

    @Override
    public Ports ports() {
        return ports;
    }

    @Override
    public List<RolloutListener> listeners() {
        return listeners;
    }

    @Override
    public void close() {
        workloads.close();
        if (ownsClient) {
            client.close();
        }
    }
}
