package dev.botshift.workload.local;

import java.util.List;

/**
 * The content of {@code <colour>.json}: what a colour should be and which processes make it up.
 *
 * @param colour     blue or green
 * @param version    the release the colour runs
 * @param desired    how many replicas were asked for
 * @param instances  the processes started for it (alive or not; readiness tells)
 */
record SlotFile(String slot, String version, int desired, List<Instance> instances) {
    SlotFile {
        instances = List.copyOf(instances);
    }
}
