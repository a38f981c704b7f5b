package dev.botshift.workload.local;

import java.util.List;

/**
 * The content of {@code <slot>.json}: what a slot should run and which processes make it up.
 *
 * @param slot      the slot's label ({@code a} or {@code b})
 * @param version   the release the slot runs
 * @param desired   how many replicas were asked for
 * @param wasReady  whether every instance answered its health check at once, once (readiness said ready): from then
 *                  on a dead instance crashed while serving and is replaced; before, it failed to start, which the
 *                  rollout waiting for it reports ({@code null} in records of older versions: read as ready, as they
 *                  were treated)
 * @param instances the processes started for it (alive or not; readiness tells)
 */
record SlotFile(String slot, String version, int desired, Boolean wasReady, List<Instance> instances) {
    SlotFile {
        instances = List.copyOf(instances);
    }

    boolean hasBeenReady() {
        return wasReady == null || wasReady;
    }

    SlotFile with(List<Instance> live) {
        return new SlotFile(slot, version, desired, wasReady, live);
    }

    SlotFile markedReady() {
        return new SlotFile(slot, version, desired, true, instances);
    }
}
