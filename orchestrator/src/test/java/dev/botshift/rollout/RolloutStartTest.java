package dev.botshift.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.Slot;
import dev.botshift.core.InvalidInputException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RolloutStartTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    static RolloutState in(Phase phase, String release, Slot candidate, String stable) {
        RolloutState s = RolloutState.begin("bot", release, "r", 1, "/p", stable == null ? null : candidate.other(), stable, null, NOW);
        return s.withPhase(phase, NOW, "test");
    }

    @Test
    void firstReleaseGoesToBlue() {
        var start = (RolloutStart.Fresh) RolloutStart.decide(null, "bot", "1.0.0", "/p", "r", NOW);
        assertThat(start.state().candidate()).isEqualTo(Slot.A);
        assertThat(start.state().firstRelease()).isTrue();
    }

    @Test
    void nextReleaseGoesToTheOtherColour() {
        var done = in(new Phase.Succeeded(), "1.0.0", Slot.A, null);
        var start = (RolloutStart.Fresh) RolloutStart.decide(done, "bot", "2.0.0", "/p", "r", NOW);
        assertThat(start.state().candidate()).isEqualTo(Slot.B);
        assertThat(start.state().stableVersion()).isEqualTo("1.0.0");
    }

    @Test
    void sameReleaseInProgressContinues() {
        var running = in(new Phase.Shifting(1), "2.0.0", Slot.B, "1.0.0");
        assertThat(RolloutStart.decide(running, "bot", "2.0.0", "/p", "r2", NOW)).isInstanceOf(RolloutStart.Continue.class);
    }

    @Test
    void otherReleaseInProgressIsRefused() {
        var running = in(new Phase.Shifting(1), "2.0.0", Slot.B, "1.0.0");
        assertThatThrownBy(() -> RolloutStart.decide(running, "bot", "3.0.0", "/p", "r2", NOW))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("in progress (SHIFTING)");
    }

    @Test
    void retryAfterRollbackKeepsBlueAndCountsTheAttempt() {
        var rolledBack = in(new Phase.RolledBack("spike"), "2.0.0", Slot.B, "1.0.0");
        var start = (RolloutStart.Fresh) RolloutStart.decide(rolledBack, "bot", "2.0.0", "/p", "r2", NOW);
        assertThat(start.state().attempt()).isEqualTo(2);
        assertThat(start.state().candidate()).isEqualTo(Slot.B);
        assertThat(start.state().stableVersion()).isEqualTo("1.0.0");
    }

    /** The plan blue runs from is carried along, so that its instances can be started again after a rollback. */
    @Test
    void bluesPlanFileFollowsTheServingRelease() {
        var done = RolloutState.begin("bot", "1.0.0", "r", 1, "/plans/1.0.0.yaml", null, null, null, NOW)
                .withPhase(new Phase.Succeeded(), NOW, "test");
        assertThat(done.planFile()).isEqualTo("/plans/1.0.0.yaml");
        var next = ((RolloutStart.Fresh) RolloutStart.decide(done, "bot", "2.0.0", "/plans/2.0.0.yaml", "r2", NOW))
                .state();
        assertThat(next.stablePlanFile()).isEqualTo("/plans/1.0.0.yaml");
        var rolledBack = next.withPhase(new Phase.RolledBack("spike"), NOW, "test");
        assertThat(rolledBack.stablePlanFile()).as("blue serves again").isEqualTo("/plans/1.0.0.yaml");
        var retry = ((RolloutStart.Fresh) RolloutStart.decide(rolledBack, "bot", "3.0.0", "/plans/3.0.0.yaml", "r3",
                NOW)).state();
        assertThat(retry.stablePlanFile()).as("still blue's, not the rolled back release's")
                .isEqualTo("/plans/1.0.0.yaml");
        var first = RolloutState.begin("bot", "1.0.0", "r", 1, "/p", null, null, null, NOW)
                .withPhase(new Phase.RolledBack("spike"), NOW, "test");
        assertThat(first.stablePlanFile()).as("a first release rolled back: nothing serves").isNull();
    }

    @Test
    void alreadyStableIsNothingToDo() {
        var done = in(new Phase.Succeeded(), "2.0.0", Slot.B, "1.0.0");
        assertThat(RolloutStart.decide(done, "bot", "2.0.0", "/p", "r", NOW)).isInstanceOf(RolloutStart.AlreadyStable.class);
    }

    @Test
    void blueAfterARollbackIsAlreadyStableNotRolledOutNextToItself() {
        var rolledBack = in(new Phase.RolledBack("aborted"), "2.0.0", Slot.B, "1.0.0");
        assertThat(RolloutStart.decide(rolledBack, "bot", "1.0.0", "/p", "r", NOW))
                .isInstanceOfSatisfying(RolloutStart.AlreadyStable.class, a -> assertThat(a.state()).isEqualTo(rolledBack));
        assertThat(RolloutStart.decide(rolledBack, "bot", "3.0.0", "/p", "r", NOW)).as("another release rolls out")
                .isInstanceOfSatisfying(RolloutStart.Fresh.class, f -> assertThat(f.state().stableVersion()).isEqualTo("1.0.0"));
        var firstRolledBack = in(new Phase.RolledBack("green failed"), "1.0.0", Slot.A, null);
        assertThat(RolloutStart.decide(firstRolledBack, "bot", "1.0.0", "/p", "r", NOW))
                .as("a first release that never served is tried again").isInstanceOf(RolloutStart.Fresh.class);
    }

    @Test
    void stateSurvivesItsJsonForm() {
        var s = in(new Phase.Paused(new Phase.Shifting(2), "why"), "2.0.0", Slot.B, "1.0.0");
        assertThat(RolloutStateCodec.decode(RolloutStateCodec.encode(s))).isEqualTo(s);
    }
}
