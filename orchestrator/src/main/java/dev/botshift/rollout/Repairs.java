package dev.botshift.rollout;

import dev.botshift.core.Slot;
import java.time.Instant;
import java.util.List;

/**
 * What the platform repaired on its own since it was last asked (the embedded default's guard starts a dead router
 * again and replaces dead instances; on Kubernetes the cluster does that and reports nothing here). The runner
 * records each repair in the rollout's history, in the words of roles.
 */
@FunctionalInterface
public interface Repairs {
    Repairs NONE = List::of;

    /** The repairs since the last call, oldest first; each is returned once. */
    List<Repair> take();

    /**
     * @param slot the slot whose instance was replaced, or null for the router
     * @param what what happened, without naming the slot (the runner names the colour)
     */
    record Repair(Instant at, Slot slot, String what) {
    }
}
