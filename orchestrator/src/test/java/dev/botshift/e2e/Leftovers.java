package dev.botshift.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botshift.os.ListenPort;
import dev.botshift.testing.ListeningSockets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds what a rig could leave behind: processes whose command line names the rig's state dir (the router, botshift
 * itself) or its marker (the bots), and ports recorded in the state dir that something still listens on.
 */
final class Leftovers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Leftovers() {
    }

    /** Live processes of this rig (never the test JVM itself). */
    static List<ProcessHandle> processes(String marker, Path stateDir) {
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self && p.isAlive())
                .filter(p -> ours(p, marker, stateDir))
                .toList();
    }

    /** A process of this rig: its command line names the rig's marker or state dir (false when it cannot be read). */
    private static boolean ours(ProcessHandle p, String marker, Path stateDir) {
        return p.info().commandLine().map(c -> c.contains(marker) || c.contains(stateDir.toString())).orElse(false);
    }

    /**
     * Alive and not a zombie ({@link dev.botshift.os.ProcessLife}). An orphan that exits after its parent is reparented
     * to PID 1, and where PID 1 does not reap (a container without an init), it stays a zombie: gone in every way that
     * matters, but still listed.
     */
    static boolean running(ProcessHandle p) {
        return dev.botshift.os.ProcessLife.alive(p);
    }

    static String describe(List<ProcessHandle> processes) {
        return processes.stream().map(p -> p.pid() + ": " + p.info().commandLine().orElse("?"))
                .reduce((a, b) -> a + "\n" + b).orElse("none");
    }

    /** Every port the state dir records: bots ({@code workloads/*.json}) and the router ({@code router-process.json}). */
    static Set<Integer> recordedPorts(Path stateDir) {
        Set<Integer> ports = new TreeSet<>();
        if (!Files.isDirectory(stateDir)) {
            return ports;
        }
        try (Stream<Path> files = Files.walk(stateDir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                collectPorts(readQuietly(f), ports);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + stateDir, e);
        }
        return ports;
    }

    private static JsonNode readQuietly(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            return JSON.nullNode();
        }
    }

    private static void collectPorts(JsonNode node, Set<Integer> ports) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if ((e.getKey().equals("port") || e.getKey().endsWith("Port")) && e.getValue().isInt()
                        && e.getValue().asInt() > 0) {
                    ports.add(e.getValue().asInt());
                } else {
                    collectPorts(e.getValue(), ports);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectPorts(n, ports));
        }
    }

    /**
     * Ports of {@code ports} something of this rig still listens on. A port that cannot be bound counts unless every
     * process listening there is known and of another test (neither {@code marker} nor {@code stateDir} in its command
     * line, and not this JVM): with two test classes at a time, the other may have picked a port this rig used and
     * left.
     */
    static Set<Integer> inUse(Set<Integer> ports, String marker, Path stateDir) {
        Set<Integer> ours = new TreeSet<>();
        long self = ProcessHandle.current().pid();
        for (int port : inUse(ports)) {
            Set<Long> owners = ListeningSockets.ownersOf(port);
            boolean others = !owners.isEmpty() && owners.stream().allMatch(pid -> pid != self
                    && ProcessHandle.of(pid).filter(p -> p.info().commandLine().isPresent())
                            .map(p -> !ours(p, marker, stateDir)).orElse(false));
            if (!others) {
                ours.add(port);
            }
        }
        return ours;
    }

    /** Ports of {@code ports} that cannot be bound on the loopback address: something still listens there. */
    private static Set<Integer> inUse(Set<Integer> ports) {
        Set<Integer> busy = new TreeSet<>();
        for (int port : ports) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException e) {
                busy.add(port);
            }
        }
        return busy;
    }

    static int freePort() {
        return ListenPort.pick(); // below the ephemeral range: no outgoing connection takes it first
    }
}
