package dev.botshift.platform;

import dev.botshift.core.Weights;
import dev.botshift.kubernetes.testing.Eventually;
import dev.botshift.plan.Plan;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.Pauser;
import dev.botshift.rollout.Ports;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.rollout.Until;
import dev.botshift.state.AppLock;
import dev.botshift.state.StateStore;
import dev.botshift.state.kubernetes.ConfigMapStateStore;
import dev.botshift.testing.MutableClock;
import dev.botshift.testing.TestPlatform;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * {@code botshift deploy} of a plan against the cluster: the real {@link RolloutSession} (Lease lock, fresh or
 * continued state in the ConfigMap, the runner over {@link KubernetesPlatform}'s adapters), on the test's client, the
 * schema recorder and a fake clock. Between decisions it sleeps a little real time (the kubelet fixture and the
 * informers are real threads) and advances the clock by the interval. A {@code between} hook may throw
 * {@link Killed}: the process dies there, and like a dead process it writes nothing more and never releases its lease.
 * <p>
 * Platforms are closed only by {@link #close()}, after the test: the CRUD mock blocks up to 30 s on every watch
 * event it sends to a watch that a client closed, so informers stay open while the test still writes.
 */
final class ClusterDeploy implements AutoCloseable {
    /** What {@link RolloutSession} makes of the plans' 1 s interval: its minimum lock ttl. */
    static final Duration LOCK_TTL = Duration.ofSeconds(15);

    /** The deploy process died (the test pulled the plug). */
    static final class Killed extends RuntimeException {
        Killed() {
            super("killed", null, false, false);
        }
    }

    private final KubernetesClient client;
    private final RecordingSchema schema;
    private final MutableClock clock;
    private final List<KubernetesPlatform> platforms = new CopyOnWriteArrayList<>();

    ClusterDeploy(KubernetesClient client, RecordingSchema schema, MutableClock clock) {
        this.client = client;
        this.schema = schema;
        this.clock = clock;
    }

    StateStore store(Plan plan) {
        return new ConfigMapStateStore(client, plan.workload().kubernetes().namespace(), clock, clock::advance);
    }

    Outcome run(Plan plan, String holder, Consumer<RolloutState> between) throws InterruptedException {
        boolean[] dead = {false};
        Pauser pauser = d -> {
            Thread.sleep(25);
            clock.advance(d);
            try {
                between.accept(state(store(plan), plan.name()));
            } catch (Killed k) {
                dead[0] = true;
                throw k;
            }
        };
        PlatformFactory factory = (p, progress) -> {
            KubernetesPlatform platform = platform(p);
            Eventually.await(Duration.ofSeconds(10), "workload informers watching", platform::watching);
            Ports ports = platform.ports();
            return new TestPlatform(new Ports(ports.schema(), ports.workloads(), ports.router(), ports.metrics(),
                    new DiesWith(ports.store(), dead), ports.repairs(), ports.checks(), ports.resources()),
                    platform.listeners());
        };
        return new RolloutSession(plan, factory, Map.of(), new PrintStream(OutputStream.nullOutputStream()), clock,
                pauser).holder(holder).run(RolloutSession.Mode.DEPLOY, null, Until.FAILURE);
    }

    Outcome run(Plan plan, String holder) throws InterruptedException {
        return run(plan, holder, s -> { });
    }

    /** A platform for {@code plan} on the test's client, closed with this. */
    KubernetesPlatform platform(Plan plan) {
        KubernetesPlatform p = KubernetesPlatform.assemble(plan, client, false, schema, clock);
        platforms.add(p);
        return p;
    }

    @Override
    public void close() {
        platforms.forEach(KubernetesPlatform::close);
    }

    static RolloutState state(StateStore store, String app) {
        return store.read(app).map(v -> RolloutStateCodec.decode(v.json())).orElse(null);
    }

    /** The router's weights of each shift, in slots (blue/green where green runs in the green slot, as here). */
    static List<Weights> shifts(RolloutState s) {
        return s.history().stream().filter(e -> e instanceof RolloutEvent.TrafficShifted)
                .map(e -> ((RolloutEvent.TrafficShifted) e).split().inSlots(s.candidate())).toList();
    }

    /** The store as a process sees it: once the process is dead, its lock is neither renewed nor released. */
    private record DiesWith(StateStore store, boolean[] dead) implements StateStore {
        @Override
        public Optional<Versioned> read(String app) {
            return store.read(app);
        }

        @Override
        public Versioned write(String app, String json, String expectedVersion, AppLock lock) {
            return store.write(app, json, expectedVersion, ((FaultyLock) lock).lock());
        }

        @Override
        public void request(String app, String id, String json) {
            store.request(app, id, json);
        }

        @Override
        public java.util.LinkedHashMap<String, String> requests(String app) {
            return store.requests(app);
        }

        @Override
        public void consumed(String app, java.util.Collection<String> ids) {
            store.consumed(app, ids);
        }

        @Override
        public AppLock lock(String app, String holder, Duration ttl) {
            return new FaultyLock(store.lock(app, holder, ttl), () -> dead[0], () -> false);
        }
    }
}
