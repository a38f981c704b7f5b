package dev.botshift.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The one create-or-update of the Kubernetes adapters (modelled on Strimzi's {@code AbstractResourceOperator
 * .reconcile}): read the object; absent, create what {@code absent} gives; present, apply {@code change} to a copy
 * and, when that differs from what was read, update it with the read {@code resourceVersion}. A 409 (someone wrote
 * or created it in between) runs the whole read-modify-write again ({@link Conflicts#retry}). Only calls that behave
 * the same on a real API server and on Fabric8's CRUD mock: get, create, update.
 */
public final class Reconcile {
    private Reconcile() {
    }

    /**
     * @param ops    the kind's operations in the namespace, e.g. {@code client.configMaps().inNamespace(ns)}
     * @param absent the object to create when there is none; may throw instead, for objects that must already exist
     * @param change the wanted object, given a copy of the stored one (return it unchanged to leave it alone)
     */
    public static <T extends HasMetadata> Reconciled<T> createOrUpdate(NonNamespaceOperation<T, ?, ? extends Resource<T>> ops,
                                                                      String name, Supplier<T> absent,
                                                                      UnaryOperator<T> change) {
        return Conflicts.retry(() -> {
            T current = ops.withName(name).get();
            if (current == null) {
                // created by someone in between: 409 AlreadyExists, retried, and then it is an update
                return new Reconciled.Created<>(ops.resource(absent.get()).create());
            }
            T wanted = change.apply(Serialization.clone(current));
            if (wanted.equals(current)) {
                return new Reconciled.Noop<>(current);
            }
            // wanted still carries the resourceVersion read: a concurrent writer makes this a 409, and we retry
            return new Reconciled.Patched<>(ops.resource(wanted).update());
        });
    }

    /** As {@link #createOrUpdate}, for an object someone else creates: absent is {@code missing}'s exception. */
    public static <T extends HasMetadata> Reconciled<T> update(NonNamespaceOperation<T, ?, ? extends Resource<T>> ops,
                                                              String name, Supplier<? extends RuntimeException> missing,
                                                              UnaryOperator<T> change) {
        return createOrUpdate(ops, name, () -> {
            throw missing.get();
        }, change);
    }
}
