package dev.botshift.kubernetes;

/**
 * What {@link Reconcile#createOrUpdate} did to one object: a closed set, as Strimzi's {@code ReconcileResult}.
 *
 * @param <T> the object's kind; {@link #object()} is it as stored afterwards
 */
public sealed interface Reconciled<T> {
    T object();

    /** it already was as wanted: nothing written */
    record Noop<T>(T object) implements Reconciled<T> { }

    /** it did not exist and was created */
    record Created<T>(T object) implements Reconciled<T> { }

    /** it existed and was updated (carrying the resourceVersion read, so a concurrent writer made us start over) */
    record Patched<T>(T object) implements Reconciled<T> { }
}
