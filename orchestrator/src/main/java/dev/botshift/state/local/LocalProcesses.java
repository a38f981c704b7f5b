package dev.botshift.state.local;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** Who this process is (a lock records it; whether a recorded holder still runs is {@link dev.botshift.os.ProcessStart}). */
final class LocalProcesses {
    private LocalProcesses() {
    }

    static long selfPid() {
        return ProcessHandle.current().pid();
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
        }
    }
}
