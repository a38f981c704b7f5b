package dev.botshift.core;

/**
 * The two places a version of the app can run in: Kubernetes objects {@code <app>-a} and {@code <app>-b}, local
 * workload records {@code a.json} and {@code b.json}, the router's backends and weights. A slot is not a role: which
 * slot holds blue (the version serving before the rollout) and which green (the new one) changes with every
 * successful release, so slot names only build names and keys, never what people read.
 */
public enum Slot {
    A, B;

    public Slot other() {
        return this == A ? B : A;
    }

    /** The slot's name in object names, file names, labels and JSON keys: {@code a} or {@code b}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
