package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.demo.ChatPlatform;
import dev.botshift.demo.ChatStats;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutState;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A green whose processes run but never answer their health check: rolled back at the progress deadline. */
class NeverReadyIT extends RigPerTest {
    @Test
    void greenNeverReadyRollsBackAtTheProgressDeadlineWhileBlueServesEverything() throws Exception {
        rig.deploy(rig.plan("1.0.0", rig.changelogs.v1()), 0);
        ChatPlatform chats = rig.chats();
        Thread.sleep(1000);

        Path neverReady = Cli.repo().resolve("orchestrator/src/test/resources/e2e/NeverReady.java");
        PlanFile v2 = rig.plan("2.0.0", rig.changelogs.v2()).progressDeadline("4s")
                .command(List.of("java", "-Dbotshift.e2e=" + rig.marker, "-Xmx32m", neverReady.toString()));
        Cli.Result result = rig.deploy(v2, 3);

        assertThat(result.stdout()).contains("ROLLED BACK").contains("green not ready after 4s");
        RolloutState state = rig.state("sentiment-bot").orElseThrow();
        assertThat(state.phase()).isInstanceOf(Phase.RolledBack.class);
        assertThat(state.history()).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(RolloutEvent.PhaseChanged.class,
                p -> assertThat(p.reason()).contains("progress deadline")));
        assertThat(state.history()).as("green never got traffic").noneSatisfy(e -> assertThat(e)
                .isInstanceOfSatisfying(RolloutEvent.TrafficShifted.class,
                        t -> assertThat(t.split().green()).isPositive()));
        assertThat(rig.router("sentiment-bot").config().weights()).isEqualTo(Weights.allTo(Slot.A));
        assertThat(rig.router("sentiment-bot").config().backendsOf(Slot.B)).isEmpty();

        Thread.sleep(1000);
        ChatStats stats = rig.assertNothingLost(chats);
        assertThat(stats.acknowledgedBySlot().keySet()).containsExactly("a");
    }
}
