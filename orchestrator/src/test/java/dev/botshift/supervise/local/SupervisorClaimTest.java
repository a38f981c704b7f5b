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
            String record = recordAsSupervisor(other);
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

    /**
     * The last look of a supervisor with nothing left to drive is taken while it is still recorded: unrecorded first
     * (as before), a deploy's check between the two found no supervisor to stop, its own new supervisor lost the claim
     * to this one, and this one drove the new release with the environment of the release before.
     */
    @Test
    void aSupervisorLooksForARolloutWhileStillRecordedAndIsUnrecordedOnlyWhenItLeaves() {
        long self = ProcessHandle.current().pid();
        assertThat(SupervisorProcess.claim(appDir)).isEmpty();

        int[] looks = {0};
        SupervisorProcess.Leaving stays = SupervisorProcess.leave(appDir, () -> {
            looks[0]++;
            assertThat(SupervisorProcess.attach(appDir)).as("recorded during the look")
                    .hasValueSatisfying(s -> assertThat(s.pid()).isEqualTo(self));
            return true;
        });
        assertThat(stays).isEqualTo(SupervisorProcess.Leaving.DRIVES_ON);
        assertThat(SupervisorProcess.attach(appDir)).as("it drives on recorded").isPresent();

        SupervisorProcess.Leaving leaves = SupervisorProcess.leave(appDir, () -> {
            looks[0]++;
            assertThat(SupervisorProcess.attach(appDir)).as("recorded during the look").isPresent();
            return false;
        });
        assertThat(leaves).isEqualTo(SupervisorProcess.Leaving.LEFT);
        assertThat(SupervisorProcess.attach(appDir)).as("unrecorded once it leaves").isEmpty();
        assertThat(looks[0]).isEqualTo(2);
    }

    @Test
    void aSupervisorWhoseRecordWasLostIsRecordedAgainWhenItDrivesOn() throws Exception {
        assertThat(SupervisorProcess.claim(appDir)).isEmpty();
        Files.delete(appDir.resolve(SupervisorProcess.RECORD));

        assertThat(SupervisorProcess.leave(appDir, () -> true)).isEqualTo(SupervisorProcess.Leaving.DRIVES_ON);

        assertThat(SupervisorProcess.attach(appDir)).hasValueSatisfying(
                s -> assertThat(s.pid()).isEqualTo(ProcessHandle.current().pid()));
    }

    @Test
    void aSupervisorThatFindsAnotherRecordedLeavesItsRecordAndDoesNotLook() throws Exception {
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            String record = recordAsSupervisor(other);

            SupervisorProcess.Leaving leaving = SupervisorProcess.leave(appDir, () -> {
                throw new AssertionError("another supervisor drives: nothing to look at");
            });

            assertThat(leaving).isEqualTo(SupervisorProcess.Leaving.ANOTHER_DRIVES);
            assertThat(Files.readString(appDir.resolve(SupervisorProcess.RECORD))).isEqualTo(record);
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    /** Records {@code other} as the app's supervisor, as it would itself; returns the record. */
    private String recordAsSupervisor(Process other) throws Exception {
        long startedAt = other.toHandle().info().startInstant().orElseThrow().toEpochMilli();
        String record = "{\"pid\":" + other.pid() + ",\"startedAt\":" + startedAt + "}";
        Files.writeString(appDir.resolve(SupervisorProcess.RECORD), record);
        return record;
    }
}
