package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.ExitCode;
import dev.botshift.core.Slot;
import dev.botshift.demo.ChatLedger;
import dev.botshift.demo.FakeTelegramApi;
import dev.botshift.demo.PolledChats;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutState;
import dev.botshift.supervise.local.SupervisorProcess;
import dev.botshift.workload.local.RecordedInstances;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A bot that polls the Bot API itself ({@code traffic.source: telegram-handover}) between rollouts, with nothing
 * attached: the supervisor that drove the rollout stays, and when the consuming instance is killed (kill -9) its
 * replacement, which starts standing by, is handed the updates. First after 2.1.0 went live; then after 2.1.1 was
 * rolled back, where the consumer is blue (2.1.0, started from the earlier plan). Chats send all along; nothing is
 * lost, nothing stored twice, no 409. Before, the replacement stood by and the updates waited at Telegram until the
 * next rollout, and after a rollback blue's dead instance was not replaced at all.
 */
class HandoverKeeperIT {
    private static final String TOKEN = "123456:IT-handover_token";
    private static final String APP = "sentiment-bot";
    /** From the kill to the replacement's first poll: a bot's start (1-2 s) and a guard round; bound for a busy CI. */
    private static final Duration CONSUMING_AGAIN_WITHIN = Duration.ofSeconds(20);

    @Test
    void aConsumerKilledBetweenRolloutsIsReplacedAndHandedTheUpdates() throws Exception {
        try (Pg pg = Pg.start(); FakeTelegramApi api = new FakeTelegramApi(TOKEN);
             Rig rig = new Rig(pg, Map.of("BOT_TOKEN", TOKEN))) {
            rig.deploy(plan(rig, api, "2.1.0"), ExitCode.OK);
            PolledChats chats = new PolledChats(api, 20);
            chats.start(20);
            Thread.sleep(1000);

            RolloutState live = rig.state(APP).orElseThrow();
            assertThat(live.phase()).isInstanceOf(Phase.Succeeded.class);
            killTheConsumerAndAwaitItsReplacement(rig, live.candidate());
            // the repairs are in no history: status shows the supervisor's record of them
            Cli.Result status = rig.run(Duration.ofSeconds(30), "status", APP);
            assertThat(status.stderr()).as("%s", status).contains("the supervisor guards the router and bots of "
                    + APP + " since ").contains("2 repairs, the last at ").contains("no instance consumed the updates");

            // a faulty release: green takes the updates, fails, and the reverse switch hands them back to blue
            Rig.expect(ExitCode.ROLLED_BACK, rig.run(Duration.ofSeconds(120), "deploy", "-f",
                    rig.write(plan(rig, api, "2.1.1").env("BOT_FAULT_RATE", "0.4")).toString()));
            RolloutState rolledBack = rig.state(APP).orElseThrow();
            assertThat(rolledBack.phase()).isInstanceOf(Phase.RolledBack.class);
            killTheConsumerAndAwaitItsReplacement(rig, rolledBack.stable());

            List<Long> sent = chats.stop(Duration.ofSeconds(30));
            assertThat(api.pending()).as("updates left at the Bot API").isZero();
            ChatLedger ledger;
            try (Connection c = Pg.connect(rig.dbEnv)) {
                ledger = ChatLedger.of(sent, c);
            }
            assertThat(sent).hasSizeGreaterThan(200);
            assertThat(ledger.lost()).as("lost").isEmpty();
            assertThat(ledger.duplicated()).as("stored twice").isEmpty();
            assertThat(api.conflicts()).as("409s").isZero();
            System.out.printf("measured: the longest time no getUpdates was in flight: %.2f s%n", api.maxGapSeconds());
            assertThat(api.maxGapSeconds()).isLessThan(CONSUMING_AGAIN_WITHIN.toSeconds());
            assertThat(rig.state(APP).orElseThrow().history()).as("nothing written to the ended rollout")
                    .hasSameSizeAs(rolledBack.history());
        }
    }

    private static PlanFile plan(Rig rig, FakeTelegramApi api, String release) {
        return rig.plan(release, rig.changelogs.v2()).steps("[100]").provider("bot-metrics")
                .env("BOT_POLLING_API_URL", api.baseUrl().toString()).env("BOT_TOKEN", "${env:BOT_TOKEN}")
                .env("BOT_POLL_TIMEOUT", "1")
                .traffic("  source: telegram-handover\n");
    }

    /** Kills the slot's one instance and waits until the supervisor has handed the updates to its replacement. */
    private static void killTheConsumerAndAwaitItsReplacement(Rig rig, Slot slot) throws Exception {
        List<Long> pids = RecordedInstances.pids(rig.stateDir, APP, slot);
        Path log = rig.stateDir.resolve(APP).resolve(SupervisorProcess.LOG);
        long before = handedOver(log);
        assertThat(pids).as("the consuming colour's instances").hasSize(1);
        long supervisor = rig.supervisor(APP).pid();
        ProcessHandle killed = ProcessHandle.of(pids.get(0)).orElseThrow();
        long from = System.nanoTime();
        killed.destroyForcibly();
        killed.onExit().get(10, TimeUnit.SECONDS); // the JDK polls a process that is not its child: may see it late
        while (handedOver(log) == before) {
            assertThat(System.nanoTime() - from).as("the updates handed to a replacement within %s; the supervisor's "
                    + "log:%n%s", CONSUMING_AGAIN_WITHIN, Files.readString(log))
                    .isLessThan(CONSUMING_AGAIN_WITHIN.toNanos());
            Thread.sleep(100);
        }
        System.out.printf("measured: the consumer killed, its replacement handed the updates after %d ms%n",
                (System.nanoTime() - from) / 1_000_000);
        assertThat(RecordedInstances.pids(rig.stateDir, APP, slot)).hasSize(1).doesNotContain(pids.get(0));
        assertThat(rig.supervisor(APP).pid()).as("the same supervisor guards").isEqualTo(supervisor);
        Thread.sleep(1000); // the chats go on to the new consumer
    }

    private static long handedOver(Path log) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains("no instance consumed the updates")).count();
    }

}
