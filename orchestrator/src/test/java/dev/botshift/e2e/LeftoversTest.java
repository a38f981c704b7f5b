package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.testing.ListeningSockets;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A port a rig used counts as left behind only while something of that rig (or of this JVM) listens there. */
class LeftoversTest {
    @TempDir
    Path stateDir;

    @Test
    void aPortAnotherTestsProcessListensOnIsNotThisRigsLeftover() throws Exception {
        String marker = "e2e-0000mine";
        Process ours = listener(marker);
        Process another = listener("e2e-0000other");
        try (ServerSocket here = new ServerSocket()) {
            here.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int ourPort = portOf(ours);
            int otherPort = portOf(another);
            int free;
            try (ServerSocket s = new ServerSocket(0)) {
                free = s.getLocalPort();
            }

            Set<Integer> left = Leftovers.inUse(Set.of(ourPort, otherPort, here.getLocalPort(), free), marker, stateDir);

            assertThat(left).as("our process's port and this JVM's count; another test's and a free one do not")
                    .containsExactlyInAnyOrder(ourPort, here.getLocalPort());
            assertThat(ListeningSockets.ownersOf(otherPort)).containsExactly(another.pid());
            assertThat(ListeningSockets.describe(otherPort)).startsWith(another.pid() + ": ").contains("e2e-0000other");
            assertThat(ListeningSockets.describe(free)).isEqualTo("nobody");
        } finally {
            ours.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            another.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A JVM listening on a port of its own, {@code marker} on its command line (before the class path: the JDK reads
     * a command line's first 4,096 characters only); it prints the port.
     */
    private static Process listener(String marker) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dmarker=" + marker, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Listen.class.getName())
                .redirectErrorStream(true).start();
    }

    private static int portOf(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        return Integer.parseInt(out.readLine().trim());
    }

    /** The listener's program. */
    public static final class Listen {
        public static void main(String[] args) throws Exception {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                System.out.println(s.getLocalPort());
                System.out.flush();
                Thread.sleep(60_000);
            }
        }
    }
}
