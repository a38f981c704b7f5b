package dev.botshift.workload.local;

import dev.botshift.os.ProcessStart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Whether a recorded process is still alive and still the same process. */
final class Pids {
    private Pids() {
    }

    static Optional<ProcessHandle> live(long pid, ProcessStart recorded) {
        return ProcessStart.live(pid, recorded).filter(h -> !isZombie(pid));
    }

    static boolean alive(ProcessHandle handle) {
        return handle.isAlive() && !isZombie(handle.pid());
    }

    /**
     * A re-attached bot is not our child; if it dies where nobody reaps it (a container whose pid 1 is not an init),
     * it stays a zombie that {@link ProcessHandle#isAlive()} still reports as alive.
     */
    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int afterName = stat.lastIndexOf(')');
            return afterName > 0 && afterName + 2 < stat.length() && stat.charAt(afterName + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false; // no /proc (not Linux) or already gone: ProcessHandle has the answer
        }
    }
}
