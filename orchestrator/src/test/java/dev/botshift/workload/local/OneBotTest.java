package dev.botshift.workload.local;

import dev.botshift.core.Slot;
import dev.botshift.plan.WorkloadSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A test that runs one real bot process in slot a, in its own state and work folders, stopped after each test. */
abstract class OneBotTest {
    @TempDir
    Path stateDir;
    @TempDir
    Path workDir;

    LocalWorkloads workloads;

    /** The workloads the test starts its bot with: {@code environment} is what the bot gets besides the spec's. */
    LocalWorkloads workloads(WorkloadSpec spec, Map<String, String> environment) {
        workloads = new LocalWorkloads("bot", stateDir, spec, workDir, environment, line -> { }, Clock.systemUTC());
        return workloads;
    }

    @AfterEach
    void stopTheBot() {
        if (workloads != null) {
            workloads.stop(Slot.A);
        }
    }
}
