package dev.botshift.platform;

import dev.botshift.kubernetes.testing.Eventually;
import dev.botshift.plan.Plan;
import dev.botshift.rollout.Pauser;
import dev.botshift.rollout.Ports;
import dev.botshift.rollout.RolloutState;
import dev.botshift.state.AppLock;
import dev.botshift.state.StateStore;
import dev.botshift.state.kubernetes.ConfigMapStateStore;
import dev.botshift.supervise.Controller;
import dev.botshift.testing.ScaledClock;
import dev.botshift.testing.TestPlatform;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * One replica of {@code botshift controller}, as its pod would run it: its own API client, the real
 * {@link Controller} and its drivers over {@link KubernetesPlatform}'s real adapters, on a {@link ScaledClock}. The
 * test can pull its plug ({@link #kill()}: from then on it writes nothing, renews nothing, releases nothing and its
 * threads end at their next pause, like a process that is gone) or cut its renewals ({@link #failRenewals()}: every
 * Lease renewal, acquisition and release it sends fails, everything else still works, as for a replica the API server
 * stopped answering on the Lease). Every state write it makes is recorded with the time it succeeded.
 */
final class ControllerReplica implements AutoCloseable {
    /** The replica died (the test pulled the plug). */
    static final class Killed extends RuntimeException {
        Killed() {
            super("killed", null, false, false);
        }
    }

    final String name;
    final KubernetesClient client;
    final Controller controller;
    /** When each of its state writes succeeded, by the shared clock. */
    final List<Instant> writes = new CopyOnWriteArrayList<>();
    /** The app locks it took (leadership excluded), in order. */
    final List<AppLock> appLocks = new CopyOnWriteArrayList<>();
    /** Its state store, as its drivers use it. */
    final StateStore store;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final List<KubernetesPlatform> platforms = new CopyOnWriteArrayList<>();
    private final ScaledClock clock;
    private final Thread thread;
    private volatile boolean dead;
    private volatile boolean renewalsFail;

    ControllerReplica(String name, KubernetesClient mockClient, String namespace, Function<RolloutState, Plan> plans,
                      RecordingSchema schema, ScaledClock clock, Duration leaseDuration) {
        this.name = name;
        this.clock = clock;
        // its own connection, as its own pod would have
        this.client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(mockClient.getConfiguration()).withUserAgent("botshift-" + name).build())
                .build();
        this.store = new ReplicaStore(new ConfigMapStateStore(client, namespace, clock, clock::sleep));
        Pauser pauser = d -> {
            if (dead) {
                throw new Killed();
            }
            clock.sleep(d);
            if (dead) {
                throw new Killed();
            }
        };
        PlatformFactory factory = (plan, progress) -> {
            KubernetesPlatform platform = KubernetesPlatform.assemble(plan, client, false, schema, clock);
            platforms.add(platform);
            Eventually.await(Duration.ofSeconds(10), "workload informers watching", platform::watching);
            Ports ports = platform.ports();
            return new TestPlatform(new Ports(ports.schema(), ports.workloads(), ports.router(), ports.metrics(), store),
                    platform.listeners());
        };
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        this.controller = new Controller(client, store, namespace, name, plans, factory, Map.of(), out, clock, pauser,
                leaseDuration);
        this.thread = new Thread(() -> {
            try {
                controller.run();
            } catch (InterruptedException | Killed e) {
                // stopped, or died
            }
        }, "controller-" + name);
        thread.setDaemon(true);
    }

    ControllerReplica start() {
        thread.start();
        return this;
    }

    /** The process is gone: no more writes, renewals or releases; its threads end at their next pause. */
    void kill() {
        dead = true;
    }

    /** From now on every Lease renewal it sends fails (the API server does not answer it). */
    void failRenewals() {
        renewalsFail = true;
    }

    boolean running() {
        return thread.isAlive();
    }

    String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    /** Stops its loop and drivers (a graceful stop: it releases what it holds unless it is dead). */
    void stop() throws InterruptedException {
        controller.close();
        thread.join(Duration.ofSeconds(30).toMillis());
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        // platforms (and their informers) only now: the CRUD mock blocks on watch events for a watch a client closed
        platforms.forEach(KubernetesPlatform::close);
        client.close();
    }

    /** The store as the replica's process sees it (see the class comment). */
    private final class ReplicaStore implements StateStore {
        private final StateStore store;

        ReplicaStore(StateStore store) {
            this.store = store;
        }

        private void alive() {
            if (dead) {
                throw new Killed();
            }
        }

        @Override
        public Optional<Versioned> read(String app) {
            alive();
            return store.read(app);
        }

        @Override
        public Versioned write(String app, String json, String expectedVersion, AppLock lock) {
            alive();
            Versioned written = store.write(app, json, expectedVersion, ((FaultyLock) lock).lock());
            writes.add(clock.instant());
            return written;
        }

        @Override
        public void request(String app, String id, String json) {
            alive();
            store.request(app, id, json);
        }

        @Override
        public LinkedHashMap<String, String> requests(String app) {
            alive();
            return store.requests(app);
        }

        @Override
        public void consumed(String app, Collection<String> ids) {
            alive();
            store.consumed(app, ids);
        }

        @Override
        public AppLock lock(String app, String holder, Duration ttl) {
            alive();
            if (renewalsFail) {
                throw new KubernetesClientException("taking the Lease of " + app + " not answered (test)");
            }
            AppLock lock = new FaultyLock(store.lock(app, holder, ttl), () -> dead, () -> renewalsFail);
            if (!app.equals(Controller.LEADERSHIP)) {
                appLocks.add(lock);
            }
            return lock;
        }

        @Override
        public void watchLocks() {
            alive();
            if (renewalsFail) {
                throw new KubernetesClientException("listing the Leases not answered (test)");
            }
            store.watchLocks();
        }

        @Override
        public void close() {
        }
    }
}
