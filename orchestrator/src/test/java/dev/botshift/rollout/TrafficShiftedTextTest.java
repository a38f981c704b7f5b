package dev.botshift.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import dev.botshift.core.Split;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A shift names only colours that exist, in the history and in every record of it. */
class TrafficShiftedTextTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static RolloutEvent lastOf(RolloutState s) {
        return s.history().get(s.history().size() - 1);
    }

    @Test
    void aFirstReleaseHasNoBlueToName() {
        RolloutState first = RolloutState.begin("bot", "1.0.0", "r", 1, "/p", null, null, null, T0)
                .withSplit(Split.allToGreen(), T0);

        assertThat(lastOf(first).describe()).isEqualTo("traffic green 100% (first release: no blue)");
        assertThat(RolloutStateCodec.decode(RolloutStateCodec.encode(first))).isEqualTo(first);
    }

    @Test
    void aReleaseWithABlueShowsTheSplitAndOlderRecordsReadAsBefore() {
        RolloutState next = RolloutState.begin("bot", "2.0.0", "r", 1, "/p", Slot.B, "1.0.0", null, T0)
                .withSplit(Split.green(10), T0);

        assertThat(lastOf(next).describe()).isEqualTo("traffic blue 90% / green 10%");
        String json = RolloutStateCodec.encode(next);
        assertThat(json).doesNotContain("noBlue");
        assertThat(lastOf(RolloutStateCodec.decode(json)).describe()).isEqualTo("traffic blue 90% / green 10%");
    }
}
