package dev.botshift.supervise.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two commands that find no supervisor at the same moment each start one (found under load by ConcurrentDeployIT:
 * the second waited 30 s for the first's lock, gave up with exit 5 and recorded an end that made both deploys stop
 * following a rollout that went on). Only the first to claim drives; the other leaves without recording an end.
 */
class SupervisorClaimTest {
    @TempDir
    Path appDir;

    @Test
    void theFirstClaimRecordsThisProcessAndReplacesTheLastEnd() throws Exception {
        Files.writeString(appDir.resolve(SupervisorProcess.ENDED), "{\"pid\":1,\"exitCode\":5,\"message\":\"old\"}");

        assertThat(SupervisorProcess.claim(appDir)).isEmpty();

        assertThat(SupervisorProcess.attach(appDir)).hasValueSatisfying(
                s -> assertThat(s.pid()).isEqualTo(ProcessHandle.current().pid()));
        assertThat(SupervisorProcess.ended(appDir)).as("a previous supervisor's end is not this one's").isEmpty();
        assertThat(SupervisorProcess.claim(appDir)).as("claiming again is still this process").isEmpty();
    }

    @Test
    void aClaimWhileAnotherLiveSupervisorIsRecordedNamesItAndChangesNothing() throws Exception {
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            long startedAt = other.toHandle().info().startInstant().orElseThrow().toEpochMilli();
            String record = "{\"pid\":" + other.pid() + ",\"startedAt\":" + startedAt + "}";
            Files.writeString(appDir.resolve(SupervisorProcess.RECORD), record);
            String end = "{\"pid\":1,\"exitCode\":0,\"message\":\"nothing left to drive\"}";
            Files.writeString(appDir.resolve(SupervisorProcess.ENDED), end);

            assertThat(SupervisorProcess.claim(appDir)).hasValueSatisfying(
                    s -> assertThat(s.pid()).isEqualTo(other.pid()));

            assertThat(Files.readString(appDir.resolve(SupervisorProcess.RECORD))).isEqualTo(record);
            assertThat(Files.readString(appDir.resolve(SupervisorProcess.ENDED))).isEqualTo(end);
        } finally {
            other.destroyForcibly().waitFor();
        }
        assertThat(SupervisorProcess.claim(appDir)).as("a dead supervisor's record is claimed over").isEmpty();
    }
}
