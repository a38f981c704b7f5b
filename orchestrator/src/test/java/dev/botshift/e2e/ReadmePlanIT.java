package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutState;
import org.junit.jupiter.api.Test;

/**
 * Issue 14/15: the README's example plan (examples/sentiment-bot/plan-v2.yaml: 1 s intervals, minRequests 20,
 * steps 10/25/50/100 of 10 s, a 10 s bake) copied unchanged promotes a good release at 20 messages/s. At 10 % green
 * gets 2 requests a second, so its first verdict needs about 10 s of traffic: the step waits for that evidence
 * instead of pausing.
 */
class ReadmePlanIT extends RigPerTest {
    @Test
    void theReadmePlanPromotesAtTwentyMessagesASecond() throws Exception {
        Rig.UnderTraffic run = rig.releaseUnderTraffic(20,
                rig.plan("2.0.0", rig.changelogs.v2()).analysis("1s", 20, "10s", "10s"), 0);

        RolloutState end = run.end();
        assertThat(end.phase()).isInstanceOf(Phase.Succeeded.class);
        assertThat(end.history()).as("never paused").noneSatisfy(e -> assertThat(e)
                .isInstanceOfSatisfying(RolloutEvent.PhaseChanged.class,
                        p -> assertThat(p.to()).isInstanceOf(Phase.Paused.class)));
        assertThat(end.history()).as("a step waited for evidence and said so").anySatisfy(e -> assertThat(e)
                .isInstanceOfSatisfying(RolloutEvent.AnalysisResult.class,
                        r -> assertThat(r.reason()).contains("waiting for evidence")));
        assertThat(run.chats().unacknowledged()).isZero();
    }
}
