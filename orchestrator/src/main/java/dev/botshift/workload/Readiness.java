package dev.botshift.workload;

/** How far a colour is from serving. */
public sealed interface Readiness {
    /** nothing of this colour exists */
    record Absent() implements Readiness { }

    /**
     * starting: {@code ready} of {@code desired} replicas pass their health check
     *
     * @param why what the last health check of a replica that is not ready said (e.g. "answered 404"), or null
     */
    record Progressing(int ready, int desired, String why) implements Readiness {
        public Progressing(int ready, int desired) {
            this(ready, desired, null);
        }
    }

    /** every replica is ready */
    record Ready(int replicas) implements Readiness { }

    /** it will not become ready by itself (process exited, image cannot be pulled, deadline exceeded) */
    record Failed(String reason) implements Readiness { }
}
