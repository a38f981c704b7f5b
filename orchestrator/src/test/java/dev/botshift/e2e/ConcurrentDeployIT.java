package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.demo.ChatPlatform;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two pipelines racing: two deploys of one release make one rollout that both follow; a different release is refused
 * while one is open; different apps do not block each other.
 */
class ConcurrentDeployIT extends RigPerTest {
    @Test
    void twoDeploysOfOneReleaseMakeOneRolloutThatBothFollow() throws Exception {
        String plan = rig.write(rig.plan("1.0.0", rig.changelogs.v1())).toString();
        Cli.Run first = rig.start("deploy", "-f", plan);
        Cli.Run second = rig.start("deploy", "-f", plan);
        Cli.Result a = first.await(Duration.ofSeconds(120));
        Cli.Result b = second.await(Duration.ofSeconds(120));

        assertThat(List.of(a, b)).as("%s\n%s", a, b).extracting(Cli.Result::exitCode).containsExactly(0, 0);
        RolloutState s = rig.state("sentiment-bot").orElseThrow();
        assertThat(s.phase()).isInstanceOf(Phase.Succeeded.class);
        assertThat(s.attempt()).as("one rollout, not two attempts").isEqualTo(1);
        assertThat(s.history()).as("started once, expanded once").filteredOn(e -> e instanceof RolloutEvent.Started)
                .hasSize(1);
        assertThat(s.history()).filteredOn(e -> e instanceof RolloutEvent.SchemaApplied).hasSize(2);
    }

    @Test
    void aDeployOfAnotherReleaseWhileOneIsOpenIsRefusedNamingIt() throws Exception {
        Rig.expect(0, rig.run(Duration.ofSeconds(120), "deploy", "-f",
                rig.write(rig.plan("1.0.0", rig.changelogs.v1())).toString()));
        Cli.Run gated = rig.start("deploy", "-f", rig.write(rig.plan("2.0.0", rig.changelogs.v2())
                .approval("before-contract")).toString(), "--detach");
        Rig.expect(4, gated.await(Duration.ofSeconds(120)));

        Cli.Result other = rig.run(Duration.ofSeconds(60), "deploy", "-f",
                rig.write(rig.plan("2.0.1", rig.changelogs.v2())).toString());

        assertThat(other.exitCode()).as("%s", other).isEqualTo(2);
        assertThat(other.stderr()).contains("2.0.0");
        assertThat(rig.state("sentiment-bot").orElseThrow().release()).isEqualTo("2.0.0");
        Rig.expect(3, rig.run(Duration.ofSeconds(120), "abort", "sentiment-bot"));
    }

    @Test
    void twoAppsDeploySideBySide() throws Exception {
        Map<String, String> otherDb = pg.newDatabase();
        int otherPort = Leftovers.freePort();
        String planA = rig.write(rig.plan("1.0.0", rig.changelogs.v1()).app("bot-a")).toString();
        String planB = rig.write(rig.plan("1.0.0", rig.changelogs.v1()).app("bot-b")
                .databaseUrl(otherDb.get("DB_URL")).listenPort(otherPort)).toString();

        Cli.Run a = rig.start("deploy", "-f", planA);
        Cli.Run b = rig.start("deploy", "-f", planB);
        Rig.expect(0, a.await(Duration.ofSeconds(120)));
        Rig.expect(0, b.await(Duration.ofSeconds(120)));

        assertThat(rig.state("bot-a").orElseThrow().phase()).isInstanceOf(Phase.Succeeded.class);
        assertThat(rig.state("bot-b").orElseThrow().phase()).isInstanceOf(Phase.Succeeded.class);
        ChatPlatform toA = rig.chats();
        ChatPlatform toB = rig.chats(otherPort);
        Thread.sleep(1500);
        assertThat(rig.assertNothingLost(toA).sent()).isPositive();
        assertThat(rig.assertNothingLost(toB, otherDb).sent()).isPositive();
    }
}
