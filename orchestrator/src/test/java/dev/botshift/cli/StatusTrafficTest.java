package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The status table's traffic row names only colours that exist. */
class StatusTrafficTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static String trafficRow(RolloutState s) {
        return StatusView.table(s, T0).lines().filter(l -> l.startsWith("Traffic:")).findFirst().orElseThrow();
    }

    @Test
    void aFirstReleaseThatNeverServedHasNoBlueToSendTrafficTo() {
        RolloutState failed = RolloutState.begin("bot", "1.0.0", "run", 1, "/plan.yaml", Slot.A, null, null, T0)
                .withPhase(new Phase.RolledBack("green failed"), T0, "test");

        assertThat(trafficRow(failed)).isEqualTo("Traffic:      none (first release: no blue; green 0%)")
                .doesNotContain("blue 100%");
    }

    @Test
    void aReleaseWithABlueShowsTheSplit() {
        RolloutState shifting = RolloutState.begin("bot", "2.0.0", "run", 1, "/plan.yaml", Slot.B, "1.0.0", null, T0)
                .withPhase(new Phase.RolledBack("green failed"), T0, "test");

        assertThat(trafficRow(shifting)).isEqualTo("Traffic:      blue 100% / green 0%");
    }
}
