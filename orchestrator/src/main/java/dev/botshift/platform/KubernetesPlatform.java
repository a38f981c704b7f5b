package dev.botshift.platform;

import dev.botshift.analysis.MetricsProvider;
import dev.botshift.analysis.prometheus.PrometheusMetricsProvider;
import dev.botshift.core.Colour;
import dev.botshift.core.InvalidInputException;
import dev.botshift.kubernetes.KubernetesClients;
import dev.botshift.kubernetes.KubernetesEvents;
import dev.botshift.plan.Plan;
import dev.botshift.plan.WorkloadSpec.KubernetesSpec;
import dev.botshift.rollout.Ports;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutListener;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.schema.SchemaMigrator;
import dev.botshift.state.StateStore;
import dev.botshift.state.kubernetes.ConfigMapStateStore;
import dev.botshift.traffic.TrafficRouter;
import dev.botshift.traffic.gatewayapi.HttpRouteRouter;
import dev.botshift.traffic.nginx.NginxCanaryRouter;
import dev.botshift.traffic.routerconfigmap.RouterConfigMapRouter;
import dev.botshift.traffic.serviceselector.ServiceSelectorRouter;
import dev.botshift.workload.kubernetes.KubernetesWorkloads;
import dev.botshift.workload.kubernetes.KubernetesWorkloadsConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

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

    static Platform open(Plan plan, PrintStream progress) {
        KubernetesClient client = KubernetesClients.connect(plan.workload().kubernetes().namespace());
        return assemble(plan, client, true, Platforms.schemaMigrator(plan, progress::println), Clock.systemUTC());
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
        // Prometheus series are labelled with the version: learn which colour runs which from the state as it moves
        AtomicReference<RolloutState> current = new AtomicReference<>(
                store.read(plan.name()).map(v -> RolloutStateCodec.decode(v.json())).orElse(null));
        KubernetesWorkloads workloads = new KubernetesWorkloads(client, KubernetesWorkloadsConfig.fromPlan(plan));
        Ports ports = new Ports(schema, workloads, router(plan, client), prometheus(plan, current), store);
        KubernetesEvents events = new KubernetesEvents(client, k.namespace(), clock, Identity.who());
        RolloutListener tracker = new RolloutListener() {
            @Override
            public void onEvent(RolloutEvent event, RolloutState state) {
                current.set(state);
                publish(events, event, state);
            }
        };
        return new KubernetesPlatform(client, ownsClient, workloads, ports, List.of(tracker));
    }

    /** Whether the workload informers are up (tests wait for it: the CRUD mock does not replay earlier events). */
    boolean watching() {
        return workloads.watching();
    }

    static StateStore stateStore(String namespace) {
        return new ConfigMapStateStore(KubernetesClients.connect(namespace), namespace, Clock.systemUTC());
    }

    /** The prometheus provider of a plan (also usable on the local platform). */
    static MetricsProvider prometheus(Plan plan) {
        return prometheus(plan, new AtomicReference<>());
    }

    private static MetricsProvider prometheus(Plan plan, AtomicReference<RolloutState> current) {
        if (!PrometheusMetricsProvider.TYPE.equals(plan.analysis().provider())) {
            throw new InvalidInputException(plan.source() + ": analysis.provider: '" + plan.analysis().provider()
                    + "' reads the Botshift router and the bots from this machine; on kubernetes use 'prometheus'");
        }
        String namespace = plan.workload().kubernetes() == null ? "" : plan.workload().kubernetes().namespace();
        return new PrometheusMetricsProvider(plan.analysis().prometheus(),
                new PrometheusMetricsProvider.Scope(plan.name(), namespace, plan.analysis().interval()),
                colour -> versionOf(current.get(), colour, plan.release()));
    }

    private static String versionOf(RolloutState s, Colour colour, String release) {
        if (s == null) {
            return release;
        }
        return colour == s.candidate() ? s.release() : (s.stableVersion() == null ? "" : s.stableVersion());
    }

    private static TrafficRouter router(Plan plan, KubernetesClient client) {
        KubernetesSpec k = plan.workload().kubernetes();
        String resource = plan.traffic().resource();
        return switch (plan.traffic().router()) {
            case "gateway-api" -> new HttpRouteRouter(client, k.namespace(), plan.name(), resource, k.port());
            case "nginx-ingress" -> new NginxCanaryRouter(client, k.namespace(), plan.name(), resource);
            case "service-selector" -> new ServiceSelectorRouter(client, k.namespace(), plan.name(), resource);
            case "botshift" -> new RouterConfigMapRouter(client, k.namespace(), plan.name(), k.port(),
                    plan.traffic().stickyBy());
            default -> throw new InvalidInputException(plan.source() + ": traffic.router: unknown router '"
                    + plan.traffic().router() + "'");
        };
    }

    private static void publish(KubernetesEvents events, RolloutEvent event, RolloutState state) {
        if (event instanceof RolloutEvent.PhaseChanged p) {
            events.phaseChanged(state.app(), p.to(), p.describe());
        } else if (event instanceof RolloutEvent.TrafficShifted t) {
            events.weightsChanged(state.app(), t.weights());
        } else if (event instanceof RolloutEvent.RolledBack r) {
            events.rolledBack(state.app(), r.reason());
        } else if (event instanceof RolloutEvent.CommandAccepted c && c.command().startsWith("promote")) {
            events.promoted(state.app(), state.release());
        }
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
