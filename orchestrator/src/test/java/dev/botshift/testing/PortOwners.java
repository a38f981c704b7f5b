package dev.botshift.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which processes listen on a TCP port, read from Linux's {@code /proc/net/tcp} and {@code tcp6} (the socket's inode)
 * and {@code /proc/<pid>/fd} (who holds it). For telling a rig's own leftover from another test's process that picked
 * the same port since (the integration tests run two classes at a time), and for saying who answered on a port a
 * test expected silent.
 */
public final class PortOwners {
    private static final String LISTEN = "0A";

    private PortOwners() {
    }

    /** Pids holding a listening socket on {@code port}; empty when none is found (or this is not Linux). */
    public static Set<Long> of(int port) {
        Set<String> inodes = listeningInodes(port);
        Set<Long> pids = new TreeSet<>();
        if (inodes.isEmpty()) {
            return pids;
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                if (holdsAny(proc.resolve("fd"), inodes)) {
                    pids.add(Long.parseLong(proc.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            // no /proc: nobody known
        }
        return pids;
    }

    /** Each listener on {@code port} as "pid: command line" (its first 200 characters), for a failure's message. */
    public static String describe(int port) {
        return of(port).stream().map(pid -> pid + ": " + ProcessHandle.of(pid).flatMap(p -> p.info().commandLine())
                .map(c -> c.length() > 200 ? c.substring(0, 200) + "..." : c).orElse("?"))
                .reduce((a, b) -> a + "\n" + b).orElse("nobody");
    }

    private static Set<String> listeningInodes(int port) {
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table)).stream().skip(1).toList()) {
                    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[1].endsWith(":" + hexPort) && f[3].equals(LISTEN)) {
                        inodes.add(f[9]);
                    }
                }
            } catch (IOException e) {
                // no such table (no IPv6): nothing listens there
            }
        }
        return inodes;
    }

    private static boolean holdsAny(Path fdDir, Set<String> inodes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                String target = readLink(fd);
                if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                    return true;
                }
            }
        } catch (IOException | SecurityException e) {
            // gone meanwhile, or another user's
        }
        return false;
    }

    private static String readLink(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return "";
        }
    }
}
