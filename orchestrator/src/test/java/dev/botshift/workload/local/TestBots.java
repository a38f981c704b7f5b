package dev.botshift.workload.local;

import dev.botshift.plan.WorkloadSpec;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The plan's workload for {@link TestBot}: a JVM on the test classes, started as cheaply as a JVM can be. */
public final class TestBots {
    static final Duration DRAIN = Duration.ofSeconds(2);

    private TestBots() {
    }

    public static WorkloadSpec spec(int replicas, Map<String, String> env) {
        return new WorkloadSpec("local", replicas, command(), env, "/healthz", Duration.ofSeconds(30), DRAIN, null);
    }

    public static List<String> command() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx24m",
                "-cp", testClasses(), TestBot.class.getName());
    }

    private static String testClasses() {
        try {
            return Path.of(TestBot.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
