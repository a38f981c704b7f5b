package dev.botshift.supervise;

import dev.botshift.display.EventLog;
import dev.botshift.plan.Plan;
import dev.botshift.platform.Identity;
import dev.botshift.platform.PlatformFactory;
import dev.botshift.platform.RolloutSession;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.Pauser;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.rollout.Until;
import dev.botshift.state.LockHeldException;
import dev.botshift.state.StateStore;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Drives one app's rollout from the stored state to its end, whoever started it and whether or not anyone follows:
 * through gates, pauses, the bake and a FAILED that waits for a human, the judge keeps watching wherever green has
 * traffic. The work of the local supervisor process and, per app, of the Kubernetes controller. CLI commands only
 * submit a rollout, hand in requests and follow.
 */
public final class Supervisor {
    /** How long another holder of the app's lock is waited for (a deploy writing its new rollout, say). */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private final StateStore store;
    private final Function<RolloutState, Plan> plans;
    private final PlatformFactory platforms;
    private final Map<String, String> env;
    private final PrintStream log;
    private final Clock clock;
    private final Pauser pauser;
    private final String holder;

    /**
     * @param plans     the plan a stored rollout runs with (local: its plan file, read again with this process's
     *                  environment)
     * @param platforms the adapters, as for {@link RolloutSession}
     * @param env       the environment notifications read their webhook URL from
     * @param log       where the rollout's events and the adapters' progress go
     */
    public Supervisor(StateStore store, Function<RolloutState, Plan> plans, PlatformFactory platforms,
                      Map<String, String> env, PrintStream log, Clock clock, Pauser pauser) {
        this(store, plans, platforms, env, log, clock, pauser, holder());
    }

    /**
     * As above, holding the app's lock as {@code holder}: a controller replica names itself. Holder names must be
     * unique: a lease whose holder has our name is taken as ours, at once.
     */
    public Supervisor(StateStore store, Function<RolloutState, Plan> plans, PlatformFactory platforms,
                      Map<String, String> env, PrintStream log, Clock clock, Pauser pauser, String holder) {
        this.holder = holder;
        this.store = store;
        this.plans = plans;
        this.platforms = platforms;
        this.env = env;
        this.log = log;
        this.clock = clock;
        this.pauser = pauser;
    }

    /** The stored rollout of {@code app}, if any. */
    public Optional<RolloutState> stored(String app) {
        return store.read(app).map(v -> RolloutStateCodec.decode(v.json()));
    }

    /**
     * Drives {@code app}'s rollout until it has ended; returns at once when it has already ended or is not stored.
     *
     * @return the outcome, or empty when there was nothing to drive
     * @throws LockHeldException when another live holder kept the app's lock for {@link #PATIENCE}
     */
    public Optional<Outcome> drive(String app) throws InterruptedException {
        Instant giveUp = clock.instant().plus(PATIENCE);
        while (true) {
            Optional<RolloutState> state = stored(app);
            if (state.isEmpty() || state.get().phase().terminal()) {
                return Optional.empty();
            }
            Plan plan = plans.apply(state.get());
            try {
                return Optional.of(new RolloutSession(plan, platforms, env, log, clock, pauser)
                        .holder(holder)
                        .listener(new EventLog(log))
                        .run(RolloutSession.Mode.RESUME, null, Until.END));
            } catch (LockHeldException e) {
                if (clock.instant().isAfter(giveUp)) {
                    throw e;
                }
                log.println("waiting for " + e.holder() + " to release the lock of " + app);
                pauser.pause(Duration.ofMillis(500));
            }
        }
    }

    static String holder() {
        return "botshift supervisor (pid " + ProcessHandle.current().pid() + " on " + Identity.host() + ")";
    }
}
