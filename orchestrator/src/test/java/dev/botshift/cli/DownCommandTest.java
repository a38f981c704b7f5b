package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import dev.botshift.os.PrivateDirectory;
import dev.botshift.plan.WorkloadSpec;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.state.local.FileStateStore;
import dev.botshift.traffic.router.RouterProcess;
import dev.botshift.workload.local.LocalWorkloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code botshift down}: real bot processes and a real router, stopped for real; the rollout forgotten. */
class DownCommandTest {
    @TempDir
    Path tmp;

    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void anEndedAppIsStoppedWholeAndItsRolloutForgottenAndASecondDownIsHarmless() {
        Path stateDir = tmp.resolve("state");
        List<Long> bots = startBots(stateDir, 2);
        Path routerDir = PrivateDirectory.ensure(stateDir, stateDir.resolve("bot").resolve("router"));
        RouterProcess router = RouterProcess.attachOrStart(routerDir,
                RouterProcess.Options.of(0, 0, routerDir.resolve(RouterProcess.CONFIG_FILE)));
        started.add(ProcessHandle.of(router.pid()).orElseThrow());
        // the plan is gone (a CI workspace cleaned): the default drain time is used, and said
        store(stateDir, Phase.Succeeded::new, tmp.resolve("gone/plan.yaml"));
        new FileStateStore(stateDir).request("bot", "0a1b", "{}");

        CommandsTest.Run down = CommandsTest.run("down", "bot", "--state-dir", stateDir.toString());

        assertThat(down.code()).as(down.err()).isZero();
        assertThat(down.out()).contains("bot is down: stopped 2 bot instances and the router (port "
                + router.listenPort() + "); its rollout is forgotten: the next deploy of bot is a first release.")
                .contains("Kept: the logs (" + stateDir.resolve("bot/workloads/logs")).doesNotContain("webhook secrets")
                .contains("the database (schema and data are not touched).");
        assertThat(down.err()).contains("cannot be read here").contains("default drain time, 15s");
        for (long pid : bots) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("bot " + pid).isNotEqualTo(Optional.of(true));
        }
        assertThat(ProcessHandle.of(router.pid()).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        FileStateStore store = new FileStateStore(stateDir);
        assertThat(store.read("bot")).as("the rollout is forgotten").isEmpty();
        assertThat(store.requests("bot")).as("and its inbox").isEmpty();
        assertThat(stateDir.resolve("bot/workloads/a.json")).doesNotExist();
        assertThat(routerDir.resolve(RouterProcess.CONFIG_FILE)).as("the split naming dead bots").doesNotExist();
        assertThat(stateDir.resolve("bot/workloads/logs/a-0.log")).as("the logs are kept").exists();
        assertThat(stateDir.resolve("bot/lock.json")).as("the lock is released").doesNotExist();

        CommandsTest.Run again = CommandsTest.run("down", "bot", "--state-dir", stateDir.toString());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("Nothing of bot was running; no rollout was stored.");
    }

    @Test
    void aRolloutUnderWayIsRefusedAndNothingIsStopped() {
        Path stateDir = tmp.resolve("state");
        List<Long> bots = startBots(stateDir, 1);
        store(stateDir, () -> new Phase.Shifting(1), tmp.resolve("plan.yaml"));

        CommandsTest.Run down = CommandsTest.run("down", "bot", "--state-dir", stateDir.toString());

        assertThat(down.code()).isEqualTo(2);
        assertThat(down.err()).contains("refused: the rollout of bot 2.0.0 is under way (")
                .contains("botshift abort bot").contains("Nothing was stopped");
        assertThat(ProcessHandle.of(bots.get(0)).map(ProcessHandle::isAlive)).hasValue(true);
        assertThat(new FileStateStore(stateDir).read("bot")).isPresent();
    }

    @Test
    void anAppWhoseLockIsHeldIsLeftAlone() {
        Path stateDir = tmp.resolve("state");
        List<Long> bots = startBots(stateDir, 1);
        store(stateDir, Phase.Succeeded::new, tmp.resolve("plan.yaml"));
        // a deploy writing its new rollout holds the lock (this process: alive, so not taken over)
        try (var deploying = new FileStateStore(stateDir).lock("bot", "deploy elsewhere", Duration.ofMinutes(1))) {
            CommandsTest.Run down = CommandsTest.run("down", "bot", "--state-dir", stateDir.toString());
            assertThat(down.code()).isEqualTo(dev.botshift.core.ExitCode.LOCKED);
            assertThat(down.err()).contains("deploy elsewhere");
        }
        assertThat(ProcessHandle.of(bots.get(0)).map(ProcessHandle::isAlive)).hasValue(true);
        assertThat(new FileStateStore(stateDir).read("bot")).isPresent();
    }

    @Test
    void anUnknownAppAndAKubernetesNamespaceAreRefused() {
        CommandsTest.Run unknown = CommandsTest.run("down", "nobot", "--state-dir", tmp.toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("no app 'nobot' in " + tmp.toAbsolutePath());

        CommandsTest.Run k8s = CommandsTest.run("down", "bot", "--namespace", "bots");
        assertThat(k8s.code()).isEqualTo(2);
        assertThat(k8s.err()).contains("on Kubernetes (namespace bots)").contains("kubectl");

        CommandsTest.Run hostile = CommandsTest.run("down", "../etc", "--state-dir", tmp.toString());
        assertThat(hostile.code()).isEqualTo(2);
        assertThat(hostile.err()).contains("'../etc' is not an app name").doesNotContain("Exception");
    }

    private List<Long> startBots(Path stateDir, int replicas) {
        WorkloadSpec spec = new WorkloadSpec(WorkloadSpec.LOCAL, replicas, List.of("sleep", "300"), Map.of(), null,
                null, Duration.ofSeconds(2), null);
        LocalWorkloads workloads = new LocalWorkloads("bot", stateDir, spec, tmp, Map.of(), line -> { },
                Clock.systemUTC());
        // the children this start adds (not by their command line: a child just forked can still show this JVM's)
        Set<ProcessHandle> before = ProcessHandle.current().children().collect(Collectors.toSet());
        workloads.start(Slot.A, "1.0.0", replicas);
        List<Long> pids = new ArrayList<>();
        for (ProcessHandle p : ProcessHandle.current().children().toList()) {
            if (!before.contains(p)) {
                started.add(p);
                pids.add(p.pid());
            }
        }
        assertThat(pids).hasSize(replicas);
        return pids;
    }

    private static void store(Path stateDir, java.util.function.Supplier<Phase> phase, Path planFile) {
        FileStateStore store = new FileStateStore(stateDir);
        RolloutState s = RolloutState.begin("bot", "2.0.0", "run1", 1, planFile.toString(), Slot.A, "1.0.0", null,
                Instant.now()).withPhase(phase.get(), Instant.now(), "test");
        try (var lock = store.lock("bot", "test", Duration.ofMinutes(1))) {
            store.write("bot", RolloutStateCodec.encode(s), store.read("bot").map(v -> v.version()).orElse(null), lock);
        }
    }
}
