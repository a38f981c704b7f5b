package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.ExitCode;
import dev.botshift.core.InvalidInputException;
import dev.botshift.rollout.RolloutState;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ReleaseOrderTest {
    @ParameterizedTest(name = "{0} older than {1}: {2}")
    @CsvSource({
            "1.9.2, 1.10.0, true",
            "1.10.0, 1.9.2, false",
            "2.0.0, 2.0.0, false",
            "2.0, 2.0.1, true",
            "v1.2.0, v1.3.0, true",
            "2.0.0-rc1, 2.0.0, false",    // same numbers: not clearly older
            "1.0.0, 2.0.0-rc1, true",
            "green-build, 2.0.0, false",  // not a version: no opinion
            "2026.01.31, 2026.02.01, true",
            "99999999999999999999, 1, false"})
    void olderOnlyWhenTheNumbersSaySo(String candidate, String live, boolean older) {
        assertThat(ReleaseOrder.clearlyOlder(candidate, live)).isEqualTo(older);
    }

    @Test
    void aDowngradeIsRefusedNamingTheLiveReleaseUnlessAllowed() {
        RolloutState live = RolloutState.begin("bot", "2.0.0", "r", 1, "plan.yaml", null, null, null, Instant.EPOCH);
        RolloutState rolledBackOnTopOf = RolloutState.begin("bot", "3.0.0", "r", 1, "plan.yaml",
                dev.botshift.core.Slot.A, "2.0.0", null, Instant.EPOCH);

        assertThat(ReleaseOrder.live(rolledBackOnTopOf)).hasValue("2.0.0");
        assertThatThrownBy(() -> ReleaseOrder.check("bot", "1.0.0", rolledBackOnTopOf, false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("bot 2.0.0 is live; 1.0.0 is older").hasMessageContaining("--allow-downgrade")
                .satisfies(e -> assertThat(((InvalidInputException) e).exitCode()).isEqualTo(ExitCode.INVALID_INPUT));
        ReleaseOrder.check("bot", "1.0.0", rolledBackOnTopOf, true);
        ReleaseOrder.check("bot", "2.1.0", rolledBackOnTopOf, false);
        ReleaseOrder.check("bot", "1.0.0", null, false);
        assertThat(ReleaseOrder.live(live)).as("a first rollout still under way has nothing live").isEmpty();
    }
}
