package dev.botshift.workload.local;

import dev.botshift.core.Slot;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a colour's workload record ({@code <state>/<app>/workloads/<slot>.json}) says of its instances, read as
 * {@link LocalWorkloads} reads it: the one way tests find the process behind an instance, to kill or stop it.
 */
public final class RecordedInstances {
    private RecordedInstances() {
    }

    /**
     * The pids of the colour's recorded instances, in the record's order (live or not); none when it has no record
     * (stopped). The record is replaced by a rename, so a read never sees half of one.
     */
    public static List<Long> pids(Path stateDir, String app, Slot slot) {
        return records(stateDir, app).load(slot).map(SlotFile::instances).orElse(List.of()).stream()
                .map(Instance::pid).toList();
    }

    /** The pid of the instance at {@code place} among the colour's replicas ({@code #place} in messages). */
    public static long pidAt(Path stateDir, String app, Slot slot, int place) {
        return pidOf(stateDir, app, slot, i -> i.index() == place, "at #" + place);
    }

    /** The pid of the instance serving {@code endpoint}. */
    public static long pidOn(Path stateDir, String app, Slot slot, URI endpoint) {
        return pidOf(stateDir, app, slot, i -> i.port() == endpoint.getPort(), "on " + endpoint);
    }

    private static long pidOf(Path stateDir, String app, Slot slot, Predicate<Instance> which, String where) {
        return instances(stateDir, app, slot).stream().filter(which).findFirst()
                .orElseThrow(() -> new AssertionError("no " + slot.label() + " instance " + where + " recorded for "
                        + app + " in " + stateDir))
                .pid();
    }

    private static List<Instance> instances(Path stateDir, String app, Slot slot) {
        SlotFiles records = records(stateDir, app);
        return records.load(slot).map(SlotFile::instances)
                .orElseThrow(() -> new AssertionError("no " + slot.label() + " record in " + records.dir()));
    }

    private static SlotFiles records(Path stateDir, String app) {
        return new SlotFiles(stateDir, stateDir.resolve(app).resolve("workloads"));
    }
}
