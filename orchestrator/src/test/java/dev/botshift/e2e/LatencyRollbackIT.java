package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.demo.ChatPlatform;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutState;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: a release that answers every update 300 ms later than blue, without a single error, is rolled back by
 * {@code analysis.latency}: real router, real bots (the sample bot's {@code BOT_FAULT_DELAY_MS}), real chat traffic.
 */
class LatencyRollbackIT extends RigPerTest {
    @Test
    void aReleaseThreeHundredMillisecondsSlowerIsRolledBackWithoutAnyError() throws Exception {
        rig.deploy(rig.plan("1.0.0", rig.changelogs.v1()), 0);
        ChatPlatform chats = ChatPlatform.builder(URI.create("http://127.0.0.1:" + rig.routerPort + "/webhook"))
                .chats(100).rate(40).redeliveryBackoff(Duration.ofMillis(200)).build();
        chats.start();
        try {
            // p99Max alone would let 300 ms through: blue's p99 times 2 is the limit that catches it
            rig.deploy(rig.plan("2.0.0", rig.changelogs.v2()).env("BOT_FAULT_DELAY_MS", "300")
                    .latency("{p99Max: 1s, maxIncreaseOverBaseline: 100%}"), 3);
        } finally {
            chats.stop(Duration.ofSeconds(20));
        }

        RolloutState end = rig.state("sentiment-bot").orElseThrow();
        assertThat(end.phase()).isInstanceOf(Phase.RolledBack.class);
        assertThat(end.history()).as("the verdict says why: both p99s, the limit, the sample")
                .anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(RolloutEvent.AnalysisResult.class,
                        r -> assertThat(r.reason()).startsWith("green is too slow: p99 green").contains(", blue ")
                                .contains("limit").contains("green requests slower than the limit")));
        assertThat(end.history()).as("no error was ever the reason").noneSatisfy(e -> assertThat(e)
                .isInstanceOfSatisfying(RolloutEvent.AnalysisResult.class,
                        r -> assertThat(r.reason()).contains("with 95% confidence").doesNotContain("too slow")));
        assertThat(chats.stats().unacknowledged()).isZero();
        java.time.Instant greenUp = end.history().stream().filter(RolloutEvent.TrafficShifted.class::isInstance)
                .map(RolloutEvent::at).filter(t -> t.isAfter(end.history().get(0).at())).findFirst().orElseThrow();
        java.time.Instant rolledBack = end.history().stream().filter(RolloutEvent.RolledBack.class::isInstance)
                .map(RolloutEvent::at).findFirst().orElseThrow();
        System.out.println("measured: rolled back " + Duration.between(greenUp, rolledBack).toMillis()
                + " ms after green got traffic; " + end.history().stream()
                .filter(RolloutEvent.AnalysisResult.class::isInstance).map(e -> ((RolloutEvent.AnalysisResult) e).reason())
                .filter(r -> r.contains("too slow")).findFirst().orElseThrow().replaceAll("\\(so clear.*", ""));
    }
}
