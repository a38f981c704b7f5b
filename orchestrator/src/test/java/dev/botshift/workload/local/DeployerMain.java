package dev.botshift.workload.local;

import dev.botshift.core.Slot;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Plays {@code botshift deploy} in its own JVM: starts one blue test bot, prints STARTED, then waits to be killed.
 * Args: stateDir workDir.
 */
public final class DeployerMain {
    public static void main(String[] args) throws Exception {
        LocalWorkloads workloads = new LocalWorkloads("bot", Path.of(args[0]), TestBots.spec(1, Map.of()),
                Path.of(args[1]), Map.of(), line -> { }, Clock.systemUTC());
        workloads.start(Slot.A, "1.0.0", 1);
        System.out.println("STARTED");
        System.out.flush();
        Thread.sleep(60_000);
    }
}
