package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.demo.ChatPlatform;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's "blue is failing too", end to end: both colours start failing in the middle of a step, as both would
 * with their database gone (here the sample bot's injected fault, one file for both colours: 80 % of updates answered
 * 500 while it exists). Neither the judge nor the router's guard rolls the release back for it; once it ends, the
 * rollout carries on by itself and completes, and every update is stored once (the chat platform redelivers what
 * failed).
 */
class SharedOutageIT extends RigPerTest {
    private static final String APP = "sentiment-bot";

    @Test
    void bothColoursFailingMidStepRollNothingBack() throws Exception {
        Path outage = rig.root.resolve("outage");
        rig.deploy(rig.plan("1.0.0", rig.changelogs.v1()).env("BOT_FAULT_RATE", "0.8")
                .env("BOT_FAULT_FILE", outage.toString()), 0);
        ChatPlatform chats = rig.chats();
        PlanFile release = rig.plan("2.0.0", rig.changelogs.v2()).steps("[25, 50, 100]").stepDuration("8s")
                .env("BOT_FAULT_RATE", "0.8").env("BOT_FAULT_FILE", outage.toString());
        Cli.Run deploy = rig.start("deploy", "-f", rig.write(release).toString());
        rig.awaitState(APP, s -> s.release().equals("2.0.0") && s.split().green() == 25, Duration.ofSeconds(120),
                "green at 25 %");
        // green judged healthy first: the step's blue pool is a healthy one, and the outage's verdicts, of another
        // kind, are recorded (a verdict of the kind before is not written again: a loaded CI's green had had none)
        rig.awaitState(APP, s -> s.history().stream().anyMatch(e -> e instanceof RolloutEvent.AnalysisResult r
                && r.verdict() == dev.botshift.analysis.Verdict.Kind.PASS), Duration.ofSeconds(30), "a passing verdict");

        Files.createFile(outage);
        Thread.sleep(4000);
        RolloutState during = rig.state(APP).orElseThrow();
        Files.delete(outage);

        assertThat(during.phase()).as("during the outage; the verdicts:%n%s", verdicts(during))
                .isNotInstanceOfAny(Phase.RollingBack.class, Phase.RolledBack.class);
        assertThat(rig.router(APP).config().trip()).as("the router's guard held").isNull();
        assertThat(during.history()).as("the judge saw it as a shared cause").anySatisfy(e -> assertThat(e)
                .isInstanceOfSatisfying(RolloutEvent.AnalysisResult.class,
                        r -> assertThat(r.reason()).contains("blue is failing too")));
        Cli.Result end = deploy.await(Duration.ofSeconds(120));
        assertThat(end.exitCode()).as(end.toString()).isZero();
        RolloutState after = rig.state(APP).orElseThrow();
        assertThat(after.phase()).isInstanceOf(Phase.Succeeded.class);
        assertThat(after.history()).as("the outage's errors are not blue's rate in normal service: once it ended, "
                + "nothing held blue as failing and paused the rollout; the verdicts:%n%s", verdicts(after))
                .noneMatch(e -> e instanceof RolloutEvent.PhaseChanged p && p.to() instanceof Phase.Paused);
        rig.assertNothingLost(chats);
    }

    private static String verdicts(RolloutState s) {
        return String.join("\n", s.history().stream().filter(e -> e instanceof RolloutEvent.AnalysisResult
                || e instanceof RolloutEvent.GuardTripped).map(e -> e.at() + " " + e).toList());
    }
}
