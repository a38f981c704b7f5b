package dev.botshift.platform;

import dev.botshift.testing.MutableClock;
import dev.botshift.kubernetes.testing.Eventually;
import dev.botshift.plan.Plan;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.Pauser;
import dev.botshift.rollout.RolloutRunner;
import dev.botshift.rollout.RolloutSettings;
import dev.botshift.rollout.RolloutStart;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.state.AppLock;
import dev.botshift.state.StateStore;
import dev.botshift.state.kubernetes.ConfigMapStateStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One {@code botshift deploy} of a plan against the cluster, as {@link RolloutSession} does it (Lease lock, fresh
 * or continued state in the ConfigMap, a runner over {@link KubernetesPlatform}), but on the test's client, the
 * schema recorder and a fake clock. Between decisions it sleeps a little real time (the kubelet fixture and the
 * informers are real threads), advances the clock by the interval and renews the lease, as {@link LockKeeper} would.
 * A {@code between} hook may throw {@link Killed}: the process dies there, its lease stays behind unreleased.
 * <p>
 * Platforms are closed only by {@link #close()}, after the test: the CRUD mock blocks up to 30 s on every watch
 * event it sends to a watch that a client closed, so informers stay open while the test still writes.
 */
final class ClusterDeploy implements AutoCloseable {
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
        StateStore store = store(plan);
        AppLock lock = store.lock(plan.name(), holder, LOCK_TTL);
        boolean died = false;
        try {
            RolloutState existing = state(store, plan.name());
            RolloutStart start = RolloutStart.decide(existing, plan.name(), plan.release(), plan.source().toString(),
                    holder, clock.instant());
            if (start instanceof RolloutStart.AlreadyStable stable) {
                return new Outcome.Succeeded(stable.state());
            }
            if (start instanceof RolloutStart.Fresh fresh) {
                store.write(plan.name(), RolloutStateCodec.encode(fresh.state()),
                        store.read(plan.name()).map(StateStore.Versioned::version).orElse(null));
            }
            Pauser pauser = d -> {
                Thread.sleep(25);
                clock.advance(d);
                lock.renew();
                between.accept(state(store, plan.name()));
            };
            KubernetesPlatform platform = platform(plan);
            Eventually.await(Duration.ofSeconds(10), "workload informers watching", platform::watching);
            return new RolloutRunner(platform.ports(), RolloutSettings.from(plan), clock, pauser,
                    platform.listeners()).run(plan.name(), false);
        } catch (Killed k) {
            died = true;
            throw k;
        } finally {
            if (!died) {
                lock.close();
            }
        }
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
}
