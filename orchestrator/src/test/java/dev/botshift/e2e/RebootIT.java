package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.demo.ChatPlatform;
import dev.botshift.demo.ChatStats;
import dev.botshift.rollout.Phase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A reboot, with nobody there: after 2.0.0 went live, every process of the app (its bots, the router and its spare,
 * the supervisor and its spare) is killed at once, and nothing serves the webhook port. {@code botshift up <app>}, what
 * the boot unit of {@code examples/systemd/} runs, starts a supervisor that brings back the router on its port and
 * 2.0.0's instances; it exits 0 once they serve, and every update sent afterwards is stored once, by 2.0.0. {@code
 * up} again, with that supervisor running, starts nothing.
 */
class RebootIT extends RigPerTest {
    private static final String APP = "sentiment-bot";

    @Test
    void afterEverythingWasKilledResumeBringsBackTheLiveReleaseOnItsPort() throws Exception {
        rig.releaseUnderTraffic(120, rig.plan("2.0.0", rig.changelogs.v2()).steps("[50, 100]").stepDuration("1s")
                .bake("1s"), 0);

        killEverything();
        assertThat(answers(rig.routerPort)).as("nothing listens on the webhook port after the 'reboot'").isFalse();

        long t0 = System.nanoTime();
        Cli.Result up = Rig.expect(0, rig.run(Duration.ofSeconds(120), "up", APP));
        long upMillis = (System.nanoTime() - t0) / 1_000_000;
        ChatPlatform chats = rig.chats();
        long served = awaitAcknowledged(chats, Duration.ofSeconds(60));
        long servedMillis = (System.nanoTime() - t0) / 1_000_000;
        Thread.sleep(3_000); // some traffic through what up brought back
        ChatStats stats = rig.assertNothingLost(chats);

        System.out.println("measured: up exited 0 after " + upMillis + " ms; the first update acknowledged "
                + servedMillis + " ms after up started (" + served + " acknowledged by then)");
        assertThat(rig.state(APP).orElseThrow().phase()).isInstanceOf(Phase.Succeeded.class);
        assertThat(up.stderr()).contains("botshift: the supervisor (pid " + rig.supervisor(APP).pid() + ") drives "
                + APP).contains(APP + " 2.0.0 is SUCCEEDED", "botshift: " + APP + " serves (after ")
                .doesNotContain("Exception");
        // up exits once the app serves: the first update sent after it is answered at once (3.5-6.7 s later when up
        // exited as soon as the supervisor ran)
        assertThat(servedMillis - upMillis).as("the first update acknowledged after up exited, ms").isLessThan(2_500);
        assertThat(botVersions(stats)).as("every update after the reboot stored by the live release")
                .containsExactly("2.0.0");
        Cli.Result again = Rig.expect(0, rig.run(Duration.ofSeconds(60), "up", APP));
        assertThat(again.stderr()).contains("botshift: the supervisor (pid " + rig.supervisor(APP).pid() + ") runs for "
                + APP + " 2.0.0 (SUCCEEDED); nothing to start", "botshift: " + APP + " serves (after ");
    }

    /**
     * {@code kill -9} of every process of the app at once, as a reboot takes them. A guard may start something in
     * the moment before it is killed itself: looked at again until nothing is left (a few rounds at most).
     */
    private void killEverything() throws Exception {
        for (int round = 0; round < 5; round++) {
            List<ProcessHandle> left = Leftovers.processes(rig.marker, rig.stateDir);
            if (left.isEmpty()) {
                return;
            }
            left.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle p : left) {
                p.onExit().get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(Leftovers.processes(rig.marker, rig.stateDir)).as("processes after five rounds of kill -9")
                .isEmpty();
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** Waits until the chat platform has an update acknowledged; how many it has then. */
    private static long awaitAcknowledged(ChatPlatform chats, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long acknowledged = chats.stats().acknowledged();
            if (acknowledged > 0) {
                return acknowledged;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no update acknowledged within " + timeout + " of up");
    }

    /** The bot versions that stored the updates {@code stats} sent. */
    private TreeSet<String> botVersions(ChatStats stats) throws Exception {
        TreeSet<String> versions = new TreeSet<>();
        try (Connection c = Pg.connect(rig.dbEnv);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT DISTINCT bot_version FROM user_interactions WHERE update_id = ANY (?)")) {
            Array ids = c.createArrayOf("bigint", stats.sentIds().toArray());
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    versions.add(rs.getString(1));
                }
            }
        }
        return versions;
    }
}
