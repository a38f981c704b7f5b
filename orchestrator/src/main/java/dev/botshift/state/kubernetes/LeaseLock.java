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
 * @see dev.botshift.kubernetes.ApiAccess#LEASES the API calls it makes (granted by manifests/rbac.yaml)
 */
final class LeaseLock implements AppLock {
    private final KubernetesClient client;
    private final String namespace;
    private final String app;
    private final String holder;
    private final Instant since;
    private final Clock clock;
    private final Duration ttl;
    /** The lease's leaseTransitions when we took it: the fence our state writes carry. */
    private final int fence;
    private volatile Instant renewed;
    private volatile LockLostException lost;

    private LeaseLock(KubernetesClient client, String namespace, String app, String holder, Instant since, Clock clock,
                      Duration ttl, int fence) {
        this.client = client;
        this.namespace = namespace;
        this.app = app;
        this.holder = holder;
        this.since = since;
        this.clock = clock;
        this.ttl = ttl;
        this.fence = fence;
        this.renewed = clock.instant();
    }

    static LeaseLock acquire(KubernetesClient client, String namespace, String app, String holder, Duration ttl,
                             Clock clock) {
        String name = Names.lockLease(app);
        int seconds = (int) Math.max(1, (ttl.toMillis() + 999) / 1000);
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
                return new LeaseLock(client, namespace, app, holder, now, clock, ttl, 0);
            }
            LeaseSpec spec = current.getSpec() == null ? new LeaseSpec() : current.getSpec();
            boolean ours = holder.equals(spec.getHolderIdentity());
            if (!ours && isLive(spec, now)) {
                throw new LockHeldException(app, spec.getHolderIdentity(), instant(spec.getAcquireTime()));
            }
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
            return new LeaseLock(client, namespace, app, holder, acquired, clock, ttl, spec.getLeaseTransitions() == null
                    ? 0 : spec.getLeaseTransitions());
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

    /** A lease with a holder whose renewTime + leaseDurationSeconds has not passed. */
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
            Lease lease = client.leases().inNamespace(namespace).withName(Names.lockLease(app)).get();
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
                && Objects.equals(fence, Objects.requireNonNullElse(lease.getSpec().getLeaseTransitions(), 0));
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
                Lease lease = client.leases().inNamespace(namespace).withName(Names.lockLease(app)).get();
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
                    .warn("could not release lease {}: {}", Names.lockLease(app), e.getMessage());
        }
    }

    private static ZonedDateTime at(Instant instant) {
        return instant.atZone(ZoneOffset.UTC);
    }

    private static Instant instant(ZonedDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
