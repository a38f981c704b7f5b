package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import dev.botshift.plan.Approval;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutState;
import dev.botshift.testing.TestPlans;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code botshift plan} says first what {@code deploy} would do with the app's stored rollout. */
class PlanDeployWouldTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static RolloutState stored(String release, String stable, Phase phase) {
        return RolloutState.begin("bot", release, "r", 1, "/p", stable == null ? Slot.A : Slot.B, stable, null, T0)
                .withPhase(phase, T0, "test");
    }

    private static String wouldDeploy(String release, RolloutState existing) {
        return PlanText.deployWould(existing, TestPlans.plan("bot", release, Approval.NONE));
    }

    @Test
    void aFirstReleaseGoesLiveWithoutSteps() {
        assertThat(wouldDeploy("1.0.0", null)).startsWith("This is bot's first release: it goes live as soon as it is"
                + " ready, without steps");
    }

    @Test
    void theNextReleaseReplacesBlueAndARetryCountsItsAttempt() {
        assertThat(wouldDeploy("2.0.0", stored("1.0.0", null, new Phase.Succeeded())))
                .isEqualTo("deploy would roll 2.0.0 out to replace 1.0.0 (blue).");
        assertThat(wouldDeploy("2.0.0", stored("2.0.0", "1.0.0", new Phase.RolledBack("spike"))))
                .isEqualTo("deploy would roll 2.0.0 out to replace 1.0.0 (blue), attempt 2.");
    }

    @Test
    void nothingToDoARolloutToFollowOrARefusalIsSaid() {
        assertThat(wouldDeploy("2.0.0", stored("2.0.0", "1.0.0", new Phase.Succeeded())))
                .isEqualTo("deploy would do nothing: 2.0.0 is already the stable release.");
        assertThat(wouldDeploy("1.0.0", stored("2.0.0", "1.0.0", new Phase.RolledBack("spike"))))
                .isEqualTo("deploy would do nothing: 1.0.0 is already the stable release.");
        assertThat(wouldDeploy("2.0.0", stored("2.0.0", "1.0.0", new Phase.Shifting(1))))
                .isEqualTo("deploy would follow the rollout of 2.0.0 under way (SHIFTING).");
        assertThat(wouldDeploy("3.0.0", stored("2.0.0", "1.0.0", new Phase.Shifting(1))))
                .startsWith("deploy would refuse: a rollout of bot 2.0.0 is in progress (SHIFTING)");
    }
}
