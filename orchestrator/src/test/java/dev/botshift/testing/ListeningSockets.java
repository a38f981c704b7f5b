package dev.botshift.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who listens on which TCP port, from Linux's /proc: the kernel's TCP tables ({@code net/tcp}, {@code tcp6}) give each
 * listening socket's port and inode, a process's {@code fd} folder the inodes of the sockets it holds. Both directions:
 * the ports a process listens on (it asks the process itself, so it also sees a socket bound to a port nobody
 * expected) and the processes listening on a port (to tell a rig's own leftover from another test's process that
 * picked the same port since, and to say who answered on a port a test expected silent).
 */
public final class ListeningSockets {
    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    /** The ports process {@code pid} listens on. */
    public static Set<Integer> portsOf(long pid) throws IOException {
        Map<String, Integer> listening = listening(Path.of("/proc", Long.toString(pid), "net"));
        Set<Integer> ports = new TreeSet<>();
        for (String inode : socketInodes(Path.of("/proc", Long.toString(pid), "fd"))) {
            Integer port = listening.get(inode);
            if (port != null) {
                ports.add(port);
            }
        }
        return ports;
    }

    /** Pids holding a listening socket on {@code port}; empty when none is found (or this is not Linux). */
    public static Set<Long> ownersOf(int port) {
        Set<String> inodes = new HashSet<>();
        listening(Path.of("/proc/net")).forEach((inode, p) -> {
            if (p == port) {
                inodes.add(inode);
            }
        });
        Set<Long> pids = new TreeSet<>();
        if (inodes.isEmpty()) {
            return pids;
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                try {
                    if (socketInodes(proc.resolve("fd")).stream().anyMatch(inodes::contains)) {
                        pids.add(Long.parseLong(proc.getFileName().toString()));
                    }
                } catch (IOException | SecurityException e) {
                    // gone meanwhile, or another user's
                }
            }
        } catch (IOException e) {
            // no /proc: nobody known
        }
        return pids;
    }

    /** Each listener on {@code port} as "pid: command line" (its first 200 characters), for a failure's message. */
    public static String describe(int port) {
        return ownersOf(port).stream().map(pid -> pid + ": " + ProcessHandle.of(pid).flatMap(p -> p.info().commandLine())
                .map(c -> c.length() > 200 ? c.substring(0, 200) + "..." : c).orElse("?"))
                .reduce((a, b) -> a + "\n" + b).orElse("nobody");
    }

    /** Listening sockets' inode to port, from the TCP tables under {@code netDir}. */
    private static Map<String, Integer> listening(Path netDir) {
        Map<String, Integer> byInode = new HashMap<>();
        for (String table : List.of("tcp", "tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(netDir.resolve(table)); // read once: the table changes between two reads
            } catch (IOException e) {
                continue; // no such table (no IPv6): nothing listens there
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals(LISTEN)) {
                    byInode.put(f[9], Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16));
                }
            }
        }
        return byInode;
    }

    /** The inodes of the sockets among the file descriptors in {@code fdDir}. */
    private static Set<String> socketInodes(Path fdDir) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed while we looked
                }
            }
        }
        return inodes;
    }
}
