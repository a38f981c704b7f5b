package dev.botshift.state.kubernetes;

import dev.botshift.kubernetes.Conflicts;
import dev.botshift.kubernetes.Names;
import dev.botshift.state.AppLock;
import dev.botshift.state.LockHeldException;
import dev.botshift.state.LockLostException;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * The app lock as a {@code coordination.k8s.io/v1} Lease {@code <app>-botshift-lock}, the object Kubernetes' own
 * leader election uses: holderIdentity, acquireTime, renewTime, leaseDurationSeconds. Every change is an update
 * carrying the resourceVersion read, so two runs racing for an expired lease cannot both win. Releasing clears the
 * holder, as client-go does, instead of deleting (a delete could remove a lease someone else just took).
 *
 * @see dev.botshift.kubernetes.ApiAccess#LEASES the API calls it makes (granted by
 *      manifests/controller/rbac.yaml; the CLI's share by manifests/rbac.yaml)
 */
public final class LeaseLock implements AppLock {
    private final KubernetesClient client;
    private final String namespace;
    private final String app;
    /** The Lease's name: {@code <app>-botshift-lock}, or the controller's election Lease. */
    private final String lease;
    private final String holder;
    private final Instant since;
    private final Clock clock;
    private final Duration ttl;
    /** The lease's leaseTransitions when we took it: the fence our state writes carry. */
    private final int fence;
    private volatile Instant renewed;
    private volatile LockLostException lost;

    private LeaseLock(KubernetesClient client, String namespace, String app, String lease, String holder, Instant since,
                      Clock clock, Duration ttl, int fence) {
        this.client = client;
        this.namespace = namespace;
        this.app = app;
        this.lease = lease;
        this.holder = holder;
        this.since = since;
        this.clock = clock;
        this.ttl = ttl;
        this.fence = fence;
        this.renewed = clock.instant();
    }

    /**
     * How {@link #acquire} waits while it watches a lease that looks expired. The time it has waited is its own
     * measure of how long the record stayed unchanged, so no clock of another machine enters the judgement.
     */
    @FunctionalInterface
    public interface Wait {
        Wait REAL = d -> Thread.sleep(d.toMillis());

        void pause(Duration d) throws InterruptedException;
    }

    /**
     * Takes the lease if it is free, ours, or abandoned. A holder whose record says it renewed within its lease
     * duration (by our clock) keeps it at once. A record that says it expired is not taken on the word of two
     * clocks: as client-go's leader election does, we take it over only once it has stayed unchanged for a whole
     * lease duration as measured here ({@code seen}: counted from when this process first saw that record, which a
     * standby notes ahead); a renewal meanwhile means the holder is alive. So clock skew between machines can delay a
     * takeover but never give the lock to two runs.
     */
    static LeaseLock acquire(KubernetesClient client, String namespace, String app, String holder, Duration ttl,
                             Clock clock, Wait wait, LeaseObservations seen) {
        return acquire(client, namespace, app, Names.lockLease(app), holder, ttl, clock, wait, seen);
    }

    /**
     * As {@link #acquire(KubernetesClient, String, String, String, Duration, Clock, Wait, LeaseObservations)} for any
     * Lease, e.g. the one the controller's replicas elect a leader with ({@code app} then names what it guards, for
     * messages and labels).
     */
    public static LeaseLock acquire(KubernetesClient client, String namespace, String app, String name, String holder,
                                    Duration ttl, Clock clock, Wait wait, LeaseObservations seen) {
        int seconds = (int) Math.max(1, (ttl.toMillis() + 999) / 1000);
        String watched = null; // the resourceVersion of the expired-looking record this call is watching
        while (true) {
            Instant now = clock.instant();
            Lease current = client.leases().inNamespace(namespace).withName(name).get();
            try {
                if (current == null) {
                    Lease lease = new LeaseBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                            .addToLabels(Names.APP_LABEL, app).addToLabels(Names.MANAGED_BY_LABEL, Names.MANAGER)
                            .endMetadata().withNewSpec().withHolderIdentity(holder).withAcquireTime(at(now))
                            .withRenewTime(at(now)).withLeaseDurationSeconds(seconds).withLeaseTransitions(0)
                            .endSpec().build();
                    client.leases().inNamespace(namespace).resource(lease).create();
                    return new LeaseLock(client, namespace, app, name, holder, now, clock, ttl, 0);
                }
                LeaseSpec spec = current.getSpec() == null ? new LeaseSpec() : current.getSpec();
                boolean ours = holder.equals(spec.getHolderIdentity());
                boolean free = spec.getHolderIdentity() == null || spec.getHolderIdentity().isEmpty();
                if (!ours && !free) {
                    String version = current.getMetadata().getResourceVersion();
                    Duration unchangedFor = seen.unchangedFor(name, version); // noted even while it looks live
                    if (isLive(spec, now) || (watched != null && !watched.equals(version))) {
                        // live by its record, or renewed while we watched it
                        throw new LockHeldException(app, spec.getHolderIdentity(), instant(spec.getAcquireTime()));
                    }
                    Duration duration = Duration.ofSeconds(spec.getLeaseDurationSeconds());
                    watched = version;
                    if (unchangedFor.compareTo(duration) < 0) {
                        Duration step = duration.minus(unchangedFor);
                        Duration most = Duration.ofMillis(Math.max(200, duration.toMillis() / 10));
                        pause(wait, step.compareTo(most) > 0 ? most : step, app, spec);
                        continue;
                    }
                }
                return take(client, namespace, app, name, holder, ttl, current, spec, ours, now, clock);
            } catch (KubernetesClientException e) {
                if (!Conflicts.isConflict(e)) {
                    throw e;
                }
                // someone else created or took the lease between our read and our write: they hold it now
                Lease winner = client.leases().inNamespace(namespace).withName(name).get();
                LeaseSpec spec = winner == null || winner.getSpec() == null ? new LeaseSpec() : winner.getSpec();
                throw new LockHeldException(app, Objects.requireNonNullElse(spec.getHolderIdentity(), "another run"),
                        instant(spec.getAcquireTime()));
            }
        }
    }

    /** An update carrying the resourceVersion read: of two runs racing for the lease, one gets a 409. */
    private static LeaseLock take(KubernetesClient client, String namespace, String app, String name, String holder,
                                  Duration ttl, Lease current, LeaseSpec spec, boolean ours, Instant now, Clock clock) {
        int seconds = (int) Math.max(1, (ttl.toMillis() + 999) / 1000);
        Instant acquired = ours && spec.getAcquireTime() != null ? instant(spec.getAcquireTime()) : now;
        if (!ours) {
            spec.setLeaseTransitions(spec.getLeaseTransitions() == null ? 1 : spec.getLeaseTransitions() + 1);
        }
        spec.setHolderIdentity(holder);
        spec.setAcquireTime(at(acquired));
        spec.setRenewTime(at(now));
        spec.setLeaseDurationSeconds(seconds);
        current.setSpec(spec);
        client.leases().inNamespace(namespace).resource(current).update();
        return new LeaseLock(client, namespace, app, name, holder, acquired, clock, ttl,
                spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions());
    }

    private static void pause(Wait wait, Duration step, String app, LeaseSpec spec) {
        try {
            wait.pause(step);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockHeldException(app, spec.getHolderIdentity(), instant(spec.getAcquireTime()));
        }
    }

    /**
     * A lease with a holder whose renewTime + leaseDurationSeconds has not passed by our clock. Only ever a reason to
     * refuse: that it has passed is checked again by watching (see {@link #acquire}).
     */
    static boolean isLive(LeaseSpec spec, Instant now) {
        if (spec.getHolderIdentity() == null || spec.getHolderIdentity().isEmpty()) {
            return false;
        }
        ZonedDateTime renewed = spec.getRenewTime() != null ? spec.getRenewTime() : spec.getAcquireTime();
        if (renewed == null || spec.getLeaseDurationSeconds() == null) {
            return true; // a lease we cannot date is treated as held: taking it could run two rollouts at once
        }
        return renewed.toInstant().plusSeconds(spec.getLeaseDurationSeconds()).isAfter(now);
    }

    @Override
    public String holder() {
        return holder;
    }

    @Override
    public Instant since() {
        return since;
    }

    @Override
    public void renew() {
        Instant now = clock.instant();
        Conflicts.retry(() -> {
            Lease lease = client.leases().inNamespace(namespace).withName(this.lease).get();
            if (!ours(lease)) {
                LeaseSpec spec = lease == null || lease.getSpec() == null ? new LeaseSpec() : lease.getSpec();
                lost = new LockLostException(app, "it is held by "
                        + Objects.requireNonNullElse(spec.getHolderIdentity(), "nobody") + " now");
                throw lost;
            }
            lease.getSpec().setRenewTime(at(now));
            return client.leases().inNamespace(namespace).resource(lease).update();
        });
        renewed = now;
    }

    /**
     * By our own clock: a takeover needs the record unchanged for a whole lease duration as the taker measures it, so
     * while our last renewal is younger than that, nobody can have taken the lease.
     */
    @Override
    public void check() {
        LockLostException known = lost;
        if (known != null) {
            throw known;
        }
        if (!clock.instant().isBefore(renewed.plus(ttl))) {
            throw new LockLostException(app, "it was not renewed within " + ttl.toSeconds() + " s");
        }
    }

    /** The lease is still this acquisition: our identity, and nobody took it over in between. */
    boolean ours(Lease lease) {
        return lease != null && lease.getSpec() != null && holder.equals(lease.getSpec().getHolderIdentity())
                && fence == Objects.requireNonNullElse(lease.getSpec().getLeaseTransitions(), 0);
    }

    int fence() {
        return fence;
    }

    String app() {
        return app;
    }

    @Override
    public void close() {
        try {
            Conflicts.retry(() -> {
                Lease lease = client.leases().inNamespace(namespace).withName(this.lease).get();
                if (lease == null || lease.getSpec() == null || !holder.equals(lease.getSpec().getHolderIdentity())) {
                    return lease; // not ours any more: nothing to release
                }
                lease.getSpec().setHolderIdentity(null);
                lease.getSpec().setRenewTime(null);
                lease.getSpec().setAcquireTime(null);
                return client.leases().inNamespace(namespace).resource(lease).update();
            });
        } catch (KubernetesClientException e) {
            // the lease expires by itself; failing a finished rollout over its release would be worse
            org.slf4j.LoggerFactory.getLogger(LeaseLock.class)
                    .warn("could not release lease {}: {}", lease, e.getMessage());
        }
    }

    private static ZonedDateTime at(Instant instant) {
        return instant.atZone(ZoneOffset.UTC);
    }

    private static Instant instant(ZonedDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
