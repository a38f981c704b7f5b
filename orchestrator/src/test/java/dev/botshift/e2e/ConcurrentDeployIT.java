package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.demo.ChatPlatform;
import dev.botshift.rollout.Phase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two pipelines racing: one app's lock lets exactly one deploy through; different apps do not block each other. */
class ConcurrentDeployIT extends RigPerTest {
    @Test
    void twoDeploysOfOneAppOnlyOneProceedsTheOtherExits5NamingTheHolder() throws Exception {
        String plan = rig.write(rig.plan("1.0.0", rig.changelogs.v1())).toString();
        Cli.Run first = rig.start("deploy", "-f", plan);
        Cli.Run second = rig.start("deploy", "-f", plan);
        Cli.Result a = first.await(Duration.ofSeconds(120));
        Cli.Result b = second.await(Duration.ofSeconds(120));

        List<Cli.Result> results = List.of(a, b);
        assertThat(results).as("%s\n%s", a, b).extracting(Cli.Result::exitCode).containsExactlyInAnyOrder(0, 5);
        Cli.Result locked = a.exitCode() == 5 ? a : b;
        Cli.Run winner = a.exitCode() == 5 ? second : first;
        assertThat(locked.stderr() + locked.stdout())
                .contains("another run holds the lock for 'sentiment-bot'")
                .contains("botshift deploy (pid " + winner.pid())
                .containsPattern("since \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}");
        assertThat(rig.state("sentiment-bot").orElseThrow().phase()).isInstanceOf(Phase.Succeeded.class);
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
