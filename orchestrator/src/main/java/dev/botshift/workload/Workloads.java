package dev.botshift.workload;

import dev.botshift.core.Slot;

/** The workload seam: run a colour of the bot at a version, and tell how it is doing. Every call is idempotent. */
public interface Workloads {

    /** Ensures {@code replicas} instances of {@code version} run as {@code colour}; does nothing if they already do. */
    void start(Slot slot, String version, int replicas);

    /** Current readiness; cheap (reads a cache or a health check), never waits long. */
    Readiness readiness(Slot slot);

    /** Drains and stops the colour: no new work, in-flight work finishes, then it is gone. Returns when nothing is left. */
    void stop(Slot slot);

    /** Instances (processes or pods) of the colour still alive, ready or not. */
    int running(Slot slot);
}
