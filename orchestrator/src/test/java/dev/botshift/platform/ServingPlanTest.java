package dev.botshift.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import dev.botshift.plan.EditedPlan;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanLoader;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutState;
import dev.botshift.state.local.KeptReleases;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which plan the supervisor keeps between rollouts ({@link DataPlaneKeeper#servingPlan}): the one whose release
 * serves, so that a dead instance of it can be started again; after a rollback blue's: the copy its deploy kept, or
 * (deployed before Botshift kept copies) its file while that still holds it.
 */
class ServingPlanTest {
    private static final Instant T0 = Instant.parse("2026-12-04T22:00:00Z");
    private static final Map<String, String> ENV = EditedPlan.DATABASE_ENV;

    @TempDir
    Path dir;
    @TempDir
    Path stateDir;
    private final ByteArrayOutputStream said = new ByteArrayOutputStream();
    private final PrintStream progress = new PrintStream(said, true, StandardCharsets.UTF_8);

    @Test
    void afterASuccessTheRolloutsOwnPlan() throws IOException {
        RolloutState ended = ended(new Phase.Succeeded(), write("blue.yaml", "1.0.0"));
        assertThat(DataPlaneKeeper.servingPlan(ended, stateDir, ENV, progress).release()).isEqualTo("2.0.0");
        assertThat(said.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void afterARollbackBluesPlanWhenItsFileStillHoldsBluesRelease() throws IOException {
        RolloutState ended = ended(new Phase.RolledBack("spike"), write("blue.yaml", "1.0.0"));
        assertThat(DataPlaneKeeper.servingPlan(ended, stateDir, ENV, progress).release()).isEqualTo("1.0.0");
        assertThat(said.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void afterARollbackBluesKeptPlanWhenOnePlanFileWasEditedForTheNextDeploy() throws IOException {
        Path one = write("plan.yaml", "1.0.0");
        KeptReleases.keep(stateDir, PlanLoader.load(one, ENV), Set.of()); // blue's deploy
        write("plan.yaml", "2.0.0"); // edited for green's deploy
        RolloutState ended = RolloutState.begin("sentiment-bot", "2.0.0", "run", 1, one.toString(), Slot.A, "1.0.0",
                one.toString(), T0).withPhase(new Phase.RolledBack("spike"), T0, "test");

        Plan blue = DataPlaneKeeper.servingPlan(ended, stateDir, ENV, progress);
        assertThat(blue.release()).isEqualTo("1.0.0");
        assertThat(blue.home()).isEqualTo(dir.toAbsolutePath());
        assertThat(said.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void afterARollbackTheRolloutsOwnPlanWhenBluesFileWasEditedSinceAndItSaysSo() throws IOException {
        Path edited = write("blue.yaml", "1.9.0"); // one plan file, its release edited for each deploy
        RolloutState ended = ended(new Phase.RolledBack("spike"), edited);
        assertThat(DataPlaneKeeper.servingPlan(ended, stateDir, ENV, progress).release()).isEqualTo("2.0.0");
        assertThat(said.toString(StandardCharsets.UTF_8)).contains(edited + " now holds sentiment-bot 1.9.0, not "
                + "blue's release 1.0.0").contains("a dead instance of blue is only taken out of the router");
    }

    @Test
    void afterARollbackTheRolloutsOwnPlanWhenBluesFileIsGoneOrNotKept() throws IOException {
        RolloutState gone = ended(new Phase.RolledBack("spike"), dir.resolve("removed.yaml"));
        assertThat(DataPlaneKeeper.servingPlan(gone, stateDir, ENV, progress).release()).isEqualTo("2.0.0");
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("blue's plan cannot be read: ")
                .contains("removed.yaml");

        RolloutState unknown = ended(new Phase.RolledBack("spike"), null);
        assertThat(DataPlaneKeeper.servingPlan(unknown, stateDir, ENV, progress).release()).isEqualTo("2.0.0");
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("the plan blue was deployed with is not recorded");
    }

    /** A rollout its supervisor cannot drive for now: its own plan (its session's guard joins blue's to it). */
    @Test
    void anOpenRolloutsOwnPlan() throws IOException {
        RolloutState open = ended(new Phase.Shifting(1), write("blue.yaml", "1.0.0"));
        assertThat(DataPlaneKeeper.servingPlan(open, stateDir, ENV, progress).release()).isEqualTo("2.0.0");
        assertThat(said.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    /** A rollout of 2.0.0 (its plan in {@code green.yaml}) over blue 1.0.0, deployed from {@code bluePlan}. */
    private RolloutState ended(Phase end, Path bluePlan) throws IOException {
        Path green = write("green.yaml", "2.0.0");
        return RolloutState.begin("sentiment-bot", "2.0.0", "run", 1, green.toString(), Slot.A, "1.0.0",
                bluePlan == null ? null : bluePlan.toString(), T0).withPhase(end, T0, "test");
    }

    private Path write(String name, String release) throws IOException {
        return EditedPlan.write(dir, name, "release: 2.0.0", "release: " + release);
    }
}
