package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.ExitCode;
import dev.botshift.core.Slot;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutState;
import dev.botshift.workload.local.RecordedInstances;
import dev.botshift.demo.ChatPlatform;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A green instance killed mid-shift on the embedded default (the counterpart of a pod's container restarted on
 * Kubernetes): the router tries each webhook the dead instance did not take (its port refused it, or reset it unread
 * while the process exited) on green's other instance (with one instance, on blue, which has traffic too), so no
 * burst of 502s decides anything; the guard starts it again; and its death fails the analysis as a restart: rolled
 * back, the reason naming the instance and how it ended. Real router, real bots, real chat traffic, a real SIGKILL.
 */
class GreenInstanceKilledIT extends RigPerTest {
    private static final String APP = "sentiment-bot";

    @ParameterizedTest(name = "green of {0} instance(s)")
    @ValueSource(ints = {1, 2})
    void aGreenInstanceKilledMidShiftIsARestartThatRollsBackWithoutA502Burst(int replicas) throws Exception {
        rig.deploy(rig.plan("1.0.0", rig.changelogs.v1()), ExitCode.OK);
        ChatPlatform chats = rig.chats();
        // half the chats on green: about 30 webhooks a second reach the instance that is killed
        Cli.Run deploy = rig.start("deploy", "-f", rig.write(rig.plan("2.0.0", rig.changelogs.v2()).replicas(replicas)
                .steps("[50, 100]").stepDuration("30s")).toString());
        RolloutState judged = rig.awaitState(APP, s -> s.release().equals("2.0.0") && s.split().green() == 50
                && s.history().stream().anyMatch(e -> e instanceof RolloutEvent.AnalysisResult),
                Duration.ofSeconds(120), "green judged at 50 %");
        Slot green = judged.candidate();
        // green warm (its JVMs past their first compilations): at the kill, few webhooks are in flight on the instance
        for (long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
             rig.router(APP).stats().of(green).requests() < 300 && System.nanoTime() < until; Thread.sleep(100)) {
            // waiting
        }
        long errorsBefore = rig.router(APP).stats().of(green).serverErrors();
        int place = replicas - 1;
        ProcessHandle killed = ProcessHandle.of(RecordedInstances.pidAt(rig.stateDir, APP, green, place)).orElseThrow();
        // what the instance may have read and not answered when it dies: at most the webhooks awaiting an answer
        // then, of both colours (a few at 60 messages a second; more while a loaded machine slows the bots)
        int awaitingBefore = chats.awaitingAnswer();
        killed.destroyForcibly();
        int inFlightAtKill = Math.max(awaitingBefore, chats.awaitingAnswer());
        Instant at = Instant.now();
        Cli.Result result = deploy.await(Duration.ofSeconds(120));
        assertThat(result.exitCode()).as("%s", result).isEqualTo(ExitCode.ROLLED_BACK);
        RolloutState end = rig.state(APP).orElseThrow();
        assertThat(end.phase()).isInstanceOf(Phase.RolledBack.class);
        assertThat(((Phase.RolledBack) end.phase()).reason()).as("the reason names the instance and how it ended")
                .contains("check bot restarts failed: instance #" + place
                        + " restarted 1 time (last ended: killed by signal 9)");
        long greenErrors = rig.router(APP).stats().of(green).serverErrors() - errorsBefore;
        System.out.println("measured: green instance killed at 50 % (" + replicas + " instances): rolled back "
                + Duration.between(at, end.history().stream().filter(RolloutEvent.RolledBack.class::isInstance)
                .map(RolloutEvent::at).findFirst().orElseThrow()).toMillis() + " ms after the kill; green's 5xx: "
                + greenErrors + " (webhooks in flight at the kill: " + inFlightAtKill + ")");
        assertThat(greenErrors).as("at most the webhooks in flight at the kill (%d): no burst of 502s", inFlightAtKill)
                .isLessThanOrEqualTo(inFlightAtKill);
        rig.assertNothingLost(chats);
    }
}
