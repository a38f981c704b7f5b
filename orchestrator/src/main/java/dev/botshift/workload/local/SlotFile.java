package dev.botshift.workload.local;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The content of {@code <slot>.json}: what a slot should run, which processes make it up and what the guard knows of
 * them, so that whichever process reads it next (a supervisor started again) goes on where the last one stopped.
 *
 * @param slot      the slot's label ({@code a} or {@code b})
 * @param version   the release the slot runs
 * @param desired   how many replicas were asked for
 * @param wasReady  whether every instance answered its health check at once, once (readiness said ready): from then
 *                  on a dead instance crashed while serving and is replaced; before, it failed to start, which the
 *                  rollout waiting for it reports ({@code null} in records of older versions: read as ready, as they
 *                  were treated)
 * @param instances the processes started for it (alive or not; readiness tells)
 * @param ended     by place ({@link Instance#index}), the deaths there while the slot ran this version ({@code null} in
 *                  records of older versions: none)
 * @param starting  the places whose instance is a replacement that has not answered its health check yet: kept out
 *                  of the router, and a failed start if it dies ({@code null} in records of older versions: none)
 * @param backoff   when dead instances may be started again ({@code null} in records of older versions: at once)
 */
record SlotFile(String slot, String version, int desired, Boolean wasReady, List<Instance> instances,
                Map<Integer, Deaths> ended, Set<Integer> starting, RestartBackoff backoff) {
    SlotFile {
        instances = List.copyOf(instances);
        ended = ended == null ? Map.of() : Map.copyOf(ended);
        // sorted, so the record lists the places in order
        starting = java.util.Collections.unmodifiableSortedSet(starting == null ? new TreeSet<>() : new TreeSet<>(starting));
        backoff = backoff == null ? RestartBackoff.NONE : backoff;
    }

    /** A slot's first record for {@code version}: nothing has died, nothing is starting again. */
    static SlotFile of(String slot, String version, int desired, List<Instance> instances) {
        return new SlotFile(slot, version, desired, false, instances, Map.of(), Set.of(), RestartBackoff.NONE);
    }

    boolean hasBeenReady() {
        return wasReady == null || wasReady;
    }

    /** This record with {@code live} as its instances; places no longer among them are no longer starting. */
    SlotFile with(List<Instance> live) {
        Set<Integer> places = new TreeSet<>(starting);
        places.retainAll(live.stream().map(Instance::index).toList());
        return new SlotFile(slot, version, desired, wasReady, live, ended, places, backoff);
    }

    /** This record with {@code replacement} added, kept out of the router until it answers. */
    SlotFile withStarting(Instance replacement) {
        List<Instance> more = new java.util.ArrayList<>(instances);
        more.add(replacement);
        Set<Integer> places = new TreeSet<>(starting);
        places.add(replacement.index());
        return new SlotFile(slot, version, desired, wasReady, more, ended, places, backoff);
    }

    /** This record with the replacements at {@code places} answering: in the router, and the back-off over. */
    SlotFile answered(Set<Integer> places) {
        Set<Integer> still = new TreeSet<>(starting);
        still.removeAll(places);
        return new SlotFile(slot, version, desired, wasReady, instances, ended, still, RestartBackoff.NONE);
    }

    /** This record asking for {@code replicas} instances. */
    SlotFile withDesired(int replicas) {
        return new SlotFile(slot, version, replicas, wasReady, instances, ended, starting, backoff);
    }

    SlotFile withBackoff(RestartBackoff next) {
        return new SlotFile(slot, version, desired, wasReady, instances, ended, starting, next);
    }

    SlotFile markedReady() {
        return new SlotFile(slot, version, desired, true, instances, ended, starting, backoff);
    }

    /** Whether the instance is a replacement that has not answered its health check yet. */
    boolean isStarting(Instance instance) {
        return starting.contains(instance.index());
    }

    /** This record with {@code dead} counted at their places, each ended as {@code how} says. */
    SlotFile died(List<Instance> dead, Function<Instance, String> how) {
        if (dead.isEmpty()) {
            return this;
        }
        Map<Integer, Deaths> counted = new HashMap<>(ended);
        for (Instance i : dead) {
            counted.put(i.index(), counted.getOrDefault(i.index(), Deaths.NONE).oneMore(how.apply(i)));
        }
        return new SlotFile(slot, version, desired, wasReady, instances, counted, starting, backoff);
    }
}
