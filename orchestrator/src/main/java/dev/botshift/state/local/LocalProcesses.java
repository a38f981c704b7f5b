package dev.botshift.state.local;

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

    static Long startedAt(ProcessHandle handle) {
        return handle.info().startInstant().map(i -> i.toEpochMilli()).orElse(null);
    }

    static boolean isAlive(long pid, Long startedAt) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            return false;
        }
        Long actual = startedAt(handle.get());
        return startedAt == null || actual == null || actual.equals(startedAt);
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
        }
    }
}
