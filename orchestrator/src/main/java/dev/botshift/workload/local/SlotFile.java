package dev.botshift.workload.local;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
 * @param ended     by place ({@link Instance#index}), how often an instance there died while the slot ran this version
 *                  (a restart, as Kubernetes counts a container's), and how the last one ended ({@code null} in
 *                  records of older versions: none)
 */
record SlotFile(String slot, String version, int desired, Boolean wasReady, List<Instance> instances,
                Map<Integer, Ended> ended) {
    SlotFile {
        instances = List.copyOf(instances);
        ended = ended == null ? Map.of() : Map.copyOf(ended);
    }

    /** @param how why the last death there happened, in a few words ({@code killed by signal 9}) */
    record Ended(int times, String how) {
    }

    boolean hasBeenReady() {
        return wasReady == null || wasReady;
    }

    SlotFile with(List<Instance> live) {
        return new SlotFile(slot, version, desired, wasReady, live, ended);
    }

    SlotFile markedReady() {
        return new SlotFile(slot, version, desired, true, instances, ended);
    }

    /** This record with {@code dead} counted at their places, each ended as {@code how} says. */
    SlotFile died(List<Instance> dead, Function<Instance, String> how) {
        if (dead.isEmpty()) {
            return this;
        }
        Map<Integer, Ended> counted = new HashMap<>(ended);
        for (Instance i : dead) {
            Ended before = counted.get(i.index());
            counted.put(i.index(), new Ended(before == null ? 1 : before.times() + 1, how.apply(i)));
        }
        return new SlotFile(slot, version, desired, wasReady, instances, counted);
    }
}
