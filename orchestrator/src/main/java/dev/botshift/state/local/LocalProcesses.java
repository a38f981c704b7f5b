package dev.botshift.state.local;

import dev.botshift.os.ProcessStart;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** Who this process is, and whether a recorded process is still the same one (pid reuse is guarded by start time). */
final class LocalProcesses {
    private LocalProcesses() {
    }

    static long selfPid() {
        return ProcessHandle.current().pid();
    }

    static boolean isAlive(long pid, Long startedAt) {
        return ProcessStart.live(pid, startedAt).isPresent();
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
        }
    }
}
