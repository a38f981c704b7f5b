package dev.botshift.workload;

/** How far a colour is from serving. */
public sealed interface Readiness {
    /** nothing of this colour exists */
    record Absent() implements Readiness { }

    /** starting: {@code ready} of {@code desired} replicas pass their health check */
    record Progressing(int ready, int desired) implements Readiness { }

    /** every replica is ready */
    record Ready(int replicas) implements Readiness { }

    /** it will not become ready by itself (process exited, image cannot be pulled, deadline exceeded) */
    record Failed(String reason) implements Readiness { }
}
