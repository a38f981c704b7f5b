package dev.botshift.platform;

import dev.botshift.state.AppLock;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * The tests' lock of a process that may die (then its lock is neither renewed nor released) or be cut off from its
 * Lease (then renewals fail). The flags are read at each call: they flip while the lock is held.
 */
record FaultyLock(AppLock lock, BooleanSupplier dead, BooleanSupplier renewalsFail) implements AppLock {
    @Override
    public String holder() {
        return lock.holder();
    }

    @Override
    public Instant since() {
        return lock.since();
    }

    @Override
    public void renew() {
        if (dead.getAsBoolean()) {
            return;
        }
        if (renewalsFail.getAsBoolean()) {
            throw new KubernetesClientException("renewal of " + lock.holder() + "'s Lease not answered (test)");
        }
        lock.renew();
    }

    @Override
    public void check() {
        lock.check();
    }

    @Override
    public void close() {
        // a release is a Lease update too: a dead process sends none, one cut off from its Lease gets no answer
        if (!dead.getAsBoolean() && !renewalsFail.getAsBoolean()) {
            lock.close();
        }
    }
}
