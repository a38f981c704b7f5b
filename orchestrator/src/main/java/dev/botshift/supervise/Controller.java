package dev.botshift.supervise;

import dev.botshift.kubernetes.Names;
import dev.botshift.plan.Plan;
import dev.botshift.platform.PlatformFactory;
import dev.botshift.rollout.Pauser;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.state.AppLock;
import dev.botshift.state.LockHeldException;
import dev.botshift.state.LockLostException;
import dev.botshift.state.StateStore;
import dev.botshift.state.kubernetes.ConfigMapStateStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code botshift controller}: the Kubernetes supervisor. Its replicas elect a leader on the Lease
 * {@code botshift-controller-botshift-lock}, taken like any app lock (by local observation time, as client-go does:
 * Fabric8's own LeaderElector judges expiry by the holder's renewTime); the leader watches the namespace's
 * state ConfigMaps through an informer and drives every open rollout to its end, one thread per app, each holding
 * the app's own Lease (which fences its writes and effects). A replica that loses the leadership stops its drivers;
 * the new leader takes each app over once its Lease is free. Every round, leading or not, a replica notes each Lease's
 * record, so a dead leader's Leases count as unchanged from when this replica first saw them, not from when it
 * starts to lead (client-go's observed time): the takeover waits one lease duration, not two or three in a row.
 */
public final class Controller implements AutoCloseable {
    private static final String STATE_SUFFIX = "-botshift-state";

    /** The "app" whose lock is the leadership. */
    public static final String LEADERSHIP = "botshift-controller";

    private final KubernetesClient client;
    private final StateStore store;
    private final String namespace;
    private final String identity;
    /** Drives each app's rollout (stateless between drives: one serves every driver thread). */
    private final Supervisor supervisor;
    private final PrintStream log;
    private final Clock clock;
    private final Pauser pauser;
    private final Duration leaseDuration;
    private final Map<String, Thread> drivers = new ConcurrentHashMap<>();
    /** The name this replica holds app Leases under (as their drivers do). */
    private final String holder;
    private volatile boolean closed;
    private volatile Instant lastTick;
    private volatile SharedIndexInformer<ConfigMap> informer;
    private final CountDownLatch stopped = new CountDownLatch(1);

    /**
     * @param identity      this replica (the pod's name)
     * @param plans         the plan a stored rollout runs with (its release bundle, read with the controller's env)
     * @param leaseDuration how long the leadership lasts without renewal
     */
    public Controller(KubernetesClient client, StateStore store, String namespace, String identity,
                      Function<RolloutState, Plan> plans, PlatformFactory platforms, Map<String, String> env,
                      PrintStream log, Clock clock, Pauser pauser, Duration leaseDuration) {
        this.client = client;
        this.store = store;
        this.namespace = namespace;
        this.identity = identity;
        this.log = log;
        this.clock = clock;
        this.pauser = pauser;
        this.holder = "botshift controller " + identity;
        this.supervisor = new Supervisor(store, plans, platforms, env, log, clock, pauser, holder);
        this.leaseDuration = leaseDuration;
        this.lastTick = clock.instant();
    }

    /**
     * Runs until {@link #close()}: stands by while another replica leads, drives rollouts while it leads. An API
     * server that does not answer makes it neither crash nor act: the standby tries again, the leader stops once its
     * leadership has gone unrenewed for a lease duration.
     */
    public void run() throws InterruptedException {
        Duration retry = leaseDuration.dividedBy(3);
        try {
            while (!closed) {
                lastTick = clock.instant();
                AppLock leadership;
                try {
                    leadership = store.lock(LEADERSHIP, identity, leaseDuration);
                } catch (LockHeldException standby) {
                    watchLocks();
                    pauser.pause(retry);
                    continue;
                } catch (KubernetesClientException unreachable) {
                    log.println("botshift controller " + identity + ": cannot reach the leadership Lease: "
                            + unreachable.getMessage());
                    pauser.pause(retry);
                    continue;
                }
                log.println("botshift controller " + identity + ": leading in namespace " + namespace);
                try {
                    lead(leadership, retry);
                } catch (LockLostException lost) {
                    log.println("botshift controller " + identity + ": stopped leading: " + lost.getMessage());
                } finally {
                    stopDrivers();
                    leadership.close();
                }
            }
        } finally {
            stopped.countDown();
        }
    }

    /**
     * The probes' answer: the election loop has ticked within twice the lease duration and, while this replica leads,
     * its informer runs (it reconnects by itself; stopped, it would leave new rollouts undriven).
     */
    public boolean healthy() {
        SharedIndexInformer<ConfigMap> watching = informer;
        return Duration.between(lastTick, clock.instant()).compareTo(leaseDuration.multipliedBy(2)) < 0
                && (watching == null || watching.isRunning());
    }

    /** Waits until {@link #run()} has returned (its drivers stopped, its leadership released), at most {@code limit}. */
    public boolean awaitStopped(Duration limit) throws InterruptedException {
        return stopped.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The apps whose rollouts this replica drives now. */
    public java.util.Set<String> driving() {
        return java.util.Set.copyOf(drivers.keySet());
    }

    private void lead(AppLock leadership, Duration renewEvery) throws InterruptedException {
        SharedIndexInformer<ConfigMap> watching = client.configMaps().inNamespace(namespace)
                .withLabel(Names.MANAGED_BY_LABEL, Names.MANAGER).inform();
        informer = watching;
        try {
            while (!closed) {
                lastTick = clock.instant();
                renew(leadership);
                leadership.check(); // unrenewed for a lease duration: another replica may lead now, so stop
                watchLocks(); // an app's Lease a dead holder left is then taken one lease duration after it was seen
                for (ConfigMap cm : watching.getStore().list()) {
                    String name = cm.getMetadata().getName();
                    if (name.endsWith(STATE_SUFFIX) && cm.getData() != null && cm.getData().get(ConfigMapStateStore.KEY) != null
                            && !RolloutStateCodec.decode(cm.getData().get(ConfigMapStateStore.KEY)).phase().terminal()) {
                        ensureDriver(name.substring(0, name.length() - STATE_SUFFIX.length()));
                    }
                }
                pauser.pause(renewEvery);
                leadership.check();
            }
        } finally {
            informer = null;
            watching.close();
        }
    }

    /**
     * Notes every Lease's record (the leadership's and each app's), so that this replica, on taking one over, counts
     * the time it stood unchanged from this round: standing by, it has then already watched the leader's Leases when
     * the leader dies. Unanswered, it is tried again next round (a takeover then only waits longer).
     */
    private void watchLocks() {
        try {
            store.watchLocks();
        } catch (KubernetesClientException unreachable) {
            // the next round notes them; until then a takeover counts from later, never from earlier
        }
    }

    /** A renewal the API server did not answer is tried again next round; {@link AppLock#check()} decides when to stop. */
    private void renew(AppLock leadership) {
        try {
            leadership.renew();
        } catch (LockLostException lost) {
            throw lost;
        } catch (RuntimeException e) {
            log.println("botshift controller " + identity + ": could not renew the leadership: " + e.getMessage());
        }
    }

    private void ensureDriver(String app) {
        drivers.compute(app, (name, running) -> {
            if (running != null && running.isAlive()) {
                return running;
            }
            Thread t = new Thread(() -> drive(name), "botshift-drive-" + name);
            t.setDaemon(true);
            t.start();
            return t;
        });
    }

    /** One app's rollout, to its end; a failure to start it (no release stored yet, say) is tried again next round. */
    private void drive(String app) {
        try {
            supervisor.drive(app);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.println("botshift controller " + identity + ": cannot drive " + app + " now: " + Supervisor.cause(e));
            supervisor.blocked(app, Supervisor.cause(e));
        } finally {
            drivers.remove(app, Thread.currentThread());
        }
    }

    private void stopDrivers() {
        drivers.values().forEach(Thread::interrupt);
        for (Thread t : drivers.values()) {
            try {
                t.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
