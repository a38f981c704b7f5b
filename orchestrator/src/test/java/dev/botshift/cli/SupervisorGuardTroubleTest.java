package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.state.local.FileStateStore;
import dev.botshift.supervise.local.SupervisorProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real supervisor (its own JVM) that cannot guard an ended rollout's router and bots stays, says why once, records
 * it for {@code status} and tries again; before, it left at the first fault ("cannot keep guarding"), and with
 * nobody watching the router and bots were unguarded until someone looked, while {@code status} said only that its
 * supervisor "was stopped or died".
 */
class SupervisorGuardTroubleTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void aSupervisorThatCannotGuardStaysSaysWhyAndLeavesOnlyWhenTheRolloutIsForgotten() throws Exception {
        FileStateStore store = new FileStateStore(tmp);
        Path plan = tmp.resolve("moved-away.yaml"); // neither there nor kept: the serving release cannot be read
        Instant t = Instant.now();
        RolloutState ended = RolloutState.begin("bot", "2.0.0", "run1", 1, plan.toString(), Slot.A, "1.0.0", null, t)
                .withPhase(new Phase.Succeeded(), t, "test");
        try (var lock = store.lock("bot", "test", Duration.ofMinutes(1))) {
            store.write("bot", RolloutStateCodec.encode(ended), null, lock);
        }
        Path appDir = tmp.resolve("bot");

        SupervisorProcess supervisor = SupervisorProcess.ensure(tmp, "bot", Map.of("PATH", System.getenv("PATH")));
        try {
            SupervisorProcess.Guarding trouble = await(() -> SupervisorProcess.guarding(appDir)
                    .filter(g -> g.trouble() != null), "the trouble recorded");
            assertThat(trouble.runId()).isEqualTo("run1");
            assertThat(trouble.trouble()).contains("moved-away.yaml");
            assertThat(SupervisorProcess.attach(appDir)).as("it stays").isPresent();
            assertThat(CommandsTest.run("status", "bot", "--state-dir", tmp.toString()).err())
                    .contains("botshift: the supervisor cannot guard the router and bots of bot since ",
                            "moved-away.yaml", "; it tries again every 5 s")
                    .doesNotContain("nothing guards");

            Path record = appDir.resolve(SupervisorProcess.GUARDING);
            java.nio.file.attribute.FileTime firstTry = Files.getLastModifiedTime(record);
            await(() -> {
                try {
                    return Optional.of(Files.getLastModifiedTime(record)).filter(m -> !m.equals(firstTry));
                } catch (java.io.IOException e) {
                    return Optional.empty();
                }
            }, "a second try");
            assertThat(SupervisorProcess.guarding(appDir)).as("the same trouble, since the first try")
                    .hasValueSatisfying(g -> assertThat(g.since()).isEqualTo(trouble.since()));

            forgetAndSeeItLeave(store, appDir);
            String log = Files.readString(supervisor.log());
            assertThat(log).contains("botshift supervisor: cannot guard the router and bots of bot: ",
                    "moved-away.yaml", "; trying again every 5 s", "botshift supervisor: done (the rollout of bot "
                            + "was forgotten)");
            assertThat(log.split("cannot guard the router", -1)).as("said once, not at each try").hasSize(2);
        } finally {
            SupervisorProcess.attach(appDir).ifPresent(SupervisorProcess::stop);
        }
    }

    /**
     * The same with a rollout not yet ended, whose plan cannot be read: before, the supervisor ended at once ("the
     * supervisor of bot stopped: …") and the rollout waited, undriven, for someone to run resume.
     */
    @Test
    void aSupervisorThatCannotDriveAnOpenRolloutStaysAndSaysWhyInItsHistory() throws Exception {
        FileStateStore store = new FileStateStore(tmp);
        Path plan = tmp.resolve("moved-away.yaml");
        RolloutState open = RolloutState.begin("bot", "2.0.0", "run1", 1, plan.toString(), Slot.A, "1.0.0", null,
                Instant.now());
        try (var lock = store.lock("bot", "test", Duration.ofMinutes(1))) {
            store.write("bot", RolloutStateCodec.encode(open), null, lock);
        }
        Path appDir = tmp.resolve("bot");

        SupervisorProcess supervisor = SupervisorProcess.ensure(tmp, "bot", Map.of("PATH", System.getenv("PATH")));
        try {
            RolloutEvent.DriverBlocked blocked = await(() -> RolloutStateCodec.decode(store.read("bot").orElseThrow()
                    .json()).history().stream().filter(e -> e instanceof RolloutEvent.DriverBlocked)
                    .map(e -> (RolloutEvent.DriverBlocked) e).findFirst(), "the cause in the rollout's history");
            assertThat(blocked.why()).contains("moved-away.yaml");
            assertThat(blocked.driver()).startsWith("botshift supervisor (pid " + supervisor.pid() + " on ");
            assertThat(SupervisorProcess.attach(appDir)).as("it stays").isPresent();
            assertThat(SupervisorProcess.ended(appDir)).as("it did not end").isEmpty();
            CommandsTest.Run status = CommandsTest.run("status", "bot", "--state-dir", tmp.toString());
            assertThat(status.out()).as("in its history").contains("cannot drive the rollout: ", "moved-away.yaml",
                    "(it tries again until the cause is fixed)");
            assertThat(status.err()).as("and beside it").contains("botshift: botshift supervisor (pid "
                    + supervisor.pid() + " on ").contains("moved-away.yaml").doesNotContain("no supervisor drives");

            forgetAndSeeItLeave(store, appDir);
            assertThat(Files.readString(supervisor.log())).contains(": cannot drive the rollout of bot: ",
                    "moved-away.yaml", "; trying again every 5 s");
        } finally {
            SupervisorProcess.attach(appDir).ifPresent(SupervisorProcess::stop);
        }
    }

    /** Forgets the rollout ({@code botshift down}'s part): the supervisor leaves, saying so in its end record. */
    private static void forgetAndSeeItLeave(FileStateStore store, Path appDir) throws InterruptedException {
        try (var lock = store.lock("bot", "test", Duration.ofMinutes(1))) {
            store.forget("bot", lock);
        }
        SupervisorProcess.Ended end = await(() -> SupervisorProcess.attach(appDir).isPresent() ? Optional.empty()
                : SupervisorProcess.ended(appDir), "the supervisor's end");
        assertThat(end.exitCode()).isZero();
        assertThat(end.message()).isEqualTo("the rollout of bot was forgotten");
    }

    private static <T> T await(Supplier<Optional<T>> what, String name) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> found = what.get();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " not seen within " + PATIENCE);
    }
}
