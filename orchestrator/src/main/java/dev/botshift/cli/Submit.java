package dev.botshift.cli;

import dev.botshift.plan.Plan;
import dev.botshift.platform.Identity;
import dev.botshift.rollout.RolloutStart;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.state.AppLock;
import dev.botshift.state.LockHeldException;
import dev.botshift.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * {@code botshift deploy}'s first step: hand the release to whoever drives rollouts. Under the app's lock (briefly), a
 * new rollout is stored, or the same release's open rollout is kept; the supervisor or controller then drives it.
 */
final class Submit {
    /** How long a finishing supervisor (the last rollout ended, its process is exiting) may keep the lock. */
    static final Duration FINISHING = Duration.ofSeconds(20);
    private static final Duration LOCK_TTL = Duration.ofSeconds(15);

    private Submit() {
    }

    /** What was submitted: the rollout to follow, and whether there is nothing to do. */
    record Submitted(RolloutState state, boolean alreadyStable, boolean continued) {
    }

    /**
     * @param beforeFresh run under the app's lock just before a new rollout is written (not when the same release
     *                    carries on or is already stable)
     */
    static Submitted submit(Plan plan, StateStore store, Clock clock, Consumer<RolloutState> beforeFresh)
            throws InterruptedException {
        Instant giveUp = clock.instant().plus(FINISHING);
        while (true) {
            Optional<RolloutState> existing = read(store, plan.name());
            try (AppLock lock = store.lock(plan.name(), "botshift deploy (pid " + ProcessHandle.current().pid()
                    + " on " + Identity.host() + ")", LOCK_TTL)) {
                existing = read(store, plan.name());
                RolloutStart start = RolloutStart.decide(existing.orElse(null), plan.name(), plan.release(),
                        plan.source().toAbsolutePath().toString(), UUID.randomUUID().toString().substring(0, 8),
                        clock.instant());
                if (start instanceof RolloutStart.AlreadyStable stable) {
                    return new Submitted(stable.state(), true, false);
                }
                if (start instanceof RolloutStart.Fresh fresh) {
                    beforeFresh.accept(fresh.state());
                    store.write(plan.name(), RolloutStateCodec.encode(fresh.state()),
                            store.read(plan.name()).map(StateStore.Versioned::version).orElse(null), lock);
                    return new Submitted(fresh.state(), false, false);
                }
                return new Submitted(((RolloutStart.Continue) start).state(), false, true);
            } catch (LockHeldException held) {
                if (existing.isPresent() && !existing.get().phase().terminal()) {
                    // someone drives an open rollout: the same release is followed, another one is refused
                    RolloutStart start = RolloutStart.decide(existing.get(), plan.name(), plan.release(),
                            plan.source().toAbsolutePath().toString(), "-", clock.instant());
                    return new Submitted(((RolloutStart.Continue) start).state(), false, true);
                }
                if (clock.instant().isAfter(giveUp)) {
                    throw held;
                }
                Thread.sleep(200); // the last rollout ended; its supervisor is releasing the lock
            }
        }
    }

    private static Optional<RolloutState> read(StateStore store, String app) {
        return store.read(app).map(v -> RolloutStateCodec.decode(v.json()));
    }
}
