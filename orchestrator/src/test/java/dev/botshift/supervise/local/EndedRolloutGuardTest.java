package dev.botshift.supervise.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.Repairs;
import dev.botshift.rollout.RolloutState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard between rollouts with its keeper standing in for the router and bots (the real one in a real supervisor:
 * {@code cli.SupervisorGuardTroubleTest}): a keeper that cannot start is tried again and then guards, a stored
 * rollout it cannot read while guarding is looked at again, and a new rollout ends it.
 */
class EndedRolloutGuardTest {
    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path appDir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);

    @Test
    void aKeeperThatCannotStartIsTriedAgainThenGuardsUntilTheNextRolloutIsHandedIn() throws Exception {
        RolloutState ended = rollout("2.0.0", "run1").withPhase(new Phase.Succeeded(), T, "test");
        AtomicReference<Optional<RolloutState>> stored = new AtomicReference<>(Optional.of(ended));
        AtomicReference<RuntimeException> unreadable = new AtomicReference<>();
        AtomicInteger tries = new AtomicInteger();
        StandIn keeper = new StandIn();
        EndedRolloutGuard guard = new EndedRolloutGuard("bot", appDir, () -> {
            RuntimeException e = unreadable.get();
            if (e != null) {
                throw e;
            }
            return stored.get();
        }, r -> {
            if (tries.incrementAndGet() < 3) {
                throw new IllegalStateException("the router's port 8080 is taken by another program");
            }
            return keeper;
        }, log, Duration.ofMillis(600));

        CompletableFuture<Optional<RolloutState>> kept = keepInBackground(guard);
        try {
            guardsAfterItsTrouble(stored, unreadable, tries, keeper, kept);
        } finally {
            unreadable.set(null);
            stored.set(Optional.empty()); // ends the guard's loop whatever failed above
        }
    }

    private void guardsAfterItsTrouble(AtomicReference<Optional<RolloutState>> stored,
                                       AtomicReference<RuntimeException> unreadable, AtomicInteger tries,
                                       StandIn keeper, CompletableFuture<Optional<RolloutState>> kept)
            throws Exception {
        await(() -> SupervisorProcess.guarding(appDir).map(g -> g.trouble() != null).orElse(false));
        assertThat(SupervisorProcess.guarding(appDir).orElseThrow().trouble())
                .isEqualTo("the router's port 8080 is taken by another program");

        await(() -> SupervisorProcess.guarding(appDir).map(g -> g.trouble() == null).orElse(false));
        assertThat(tries.get()).as("tried three times, guarding at the third").isEqualTo(3);
        keeper.repaired.add(new Repairs.Repair(T, Slot.A, "instance 0 of 2.0.0 died: started again"));
        await(() -> SupervisorProcess.guarding(appDir).map(g -> g.repairs() == 1).orElse(false));
        assertThat(SupervisorProcess.guarding(appDir).orElseThrow().last()).startsWith("instance 0 of 2.0.0 died");

        unreadable.set(new IllegalStateException("state file unreadable"));
        await(() -> text().contains("cannot read the rollout of bot (state file unreadable); guarding on"));
        unreadable.set(null);
        await(() -> text().contains("the rollout of bot is readable again"));
        assertThat(keeper.closed).as("guarding on through the unreadable rollout").isFalse();

        RolloutState next = rollout("3.0.0", "run2");
        stored.set(Optional.of(next));
        assertThat(kept.get(5, TimeUnit.SECONDS)).contains(next);
        assertThat(keeper.closed).isTrue();
        assertThat(SupervisorProcess.guarding(appDir)).as("no record once it no longer guards").isEmpty();
        assertThat(text().split("cannot guard the router and bots of bot", -1)).as("the trouble said once").hasSize(2);
        assertThat(text()).contains("cannot guard the router and bots of bot: the router's port 8080 is taken by "
                        + "another program; trying again every 600 ms",
                "guarding again (could not since ", "1 repairs while guarding bot 2.0.0",
                "the next rollout of bot, 3.0.0, was handed in");
    }

    @Test
    void aRolloutForgottenWhileItCannotGuardEndsTheWaitAtTheNextLook() throws Exception {
        RolloutState ended = rollout("2.0.0", "run1").withPhase(new Phase.RolledBack("test"), T, "test");
        AtomicReference<Optional<RolloutState>> stored = new AtomicReference<>(Optional.of(ended));
        EndedRolloutGuard guard = new EndedRolloutGuard("bot", appDir, stored::get, r -> {
            throw new IllegalStateException("releases/2.0.0 is not kept");
        }, log, Duration.ofMinutes(10));

        CompletableFuture<Optional<RolloutState>> kept = keepInBackground(guard);
        await(() -> SupervisorProcess.guarding(appDir).isPresent());
        stored.set(Optional.empty());

        assertThat(kept.get(5, TimeUnit.SECONDS)).as("within a look, not the 10 minutes to the next try").isEmpty();
        assertThat(text()).contains("the rollout of bot was forgotten");
    }

    private static CompletableFuture<Optional<RolloutState>> keepInBackground(EndedRolloutGuard guard) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return guard.keep();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static RolloutState rollout(String release, String runId) {
        return RolloutState.begin("bot", release, runId, 1, "/plan.yaml", Slot.B, "1.0.0", null, T);
    }

    private String text() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("not seen within 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** The keeper of a router and bots that run nowhere: the repairs the test adds, and whether it was closed. */
    private static final class StandIn implements EndedRolloutGuard.Keeper {
        final List<Repairs.Repair> repaired = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile boolean closed;

        @Override
        public List<Repairs.Repair> repairs() {
            synchronized (repaired) {
                List<Repairs.Repair> taken = List.copyOf(repaired);
                repaired.clear();
                return taken;
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
