package dev.botshift.platform;

import dev.botshift.core.InvalidInputException;
import dev.botshift.notify.WebhookNotifier;
import dev.botshift.plan.Plan;
import dev.botshift.rollout.ManualCommands;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.Pauser;
import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutListener;
import dev.botshift.rollout.RolloutRunner;
import dev.botshift.rollout.RolloutSettings;
import dev.botshift.rollout.RolloutStart;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.rollout.Until;
import dev.botshift.state.AppLock;
import dev.botshift.state.StateStore;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One run of the rollout loop for a plan, holding the app lock: what deploy, resume, abort and the demo share, and
 * what the tests drive with their own platform, clock and pauser. Progress goes to {@code err} and the listeners; the
 * caller reports the {@link Outcome}.
 */
public final class RolloutSession {
    /** How {@link #run} should treat what is stored. */
    public enum Mode { DEPLOY, RESUME }

    private final Plan plan;
    private final PlatformFactory platforms;
    private final Map<String, String> env;
    private final PrintStream err;
    private final Clock clock;
    private final Pauser pauser;
    private final List<RolloutListener> extraListeners = new ArrayList<>();
    private String holder;

    /**
     * @param env    the environment notifications read their webhook URL from
     * @param clock  the clock decisions, state and the lock's renewals are timed by
     * @param pauser how the loop waits between decisions ({@link Pauser#REAL} outside tests)
     */
    public RolloutSession(Plan plan, PlatformFactory platforms, Map<String, String> env, PrintStream err, Clock clock,
                          Pauser pauser) {
        this.plan = plan;
        this.platforms = platforms;
        this.env = env;
        this.err = err;
        this.clock = clock;
        this.pauser = pauser;
    }

    /** The production session: the system clock, real sleeps. */
    public RolloutSession(Plan plan, PlatformFactory platforms, Map<String, String> env, PrintStream err) {
        this(plan, platforms, env, err, Clock.systemUTC(), Pauser.REAL);
    }

    public RolloutSession listener(RolloutListener l) {
        extraListeners.add(l);
        return this;
    }

    /** Who holds the lock during {@link #run} (default: this command and process). */
    public RolloutSession holder(String name) {
        this.holder = name;
        return this;
    }

    /**
     * Runs the rollout loop under the app lock.
     *
     * @param request a manual command to hand in first (resume, abort), or null
     * @param until   how far to drive it before returning
     */
    public Outcome run(Mode mode, Request.Kind request, Until until) throws InterruptedException {
        RolloutSettings settings = RolloutSettings.from(plan);
        Duration ttl = lockTtl(settings);
        try (Platform platform = platforms.open(plan, err)) {
            StateStore store = platform.store();
            AppLock lock = store.lock(plan.name(), holder != null ? holder : holder(mode), ttl);
            try (LockKeeper keeper = new LockKeeper(lock, ttl, clock)) {
                RolloutState existing = store.read(plan.name()).map(v -> RolloutStateCodec.decode(v.json())).orElse(null);
                if (mode == Mode.DEPLOY) {
                    RolloutStart start = RolloutStart.decide(existing, plan.name(), plan.release(),
                            plan.source().toAbsolutePath().toString(), UUID.randomUUID().toString().substring(0, 8),
                            clock.instant());
                    if (start instanceof RolloutStart.AlreadyStable stable) {
                        err.println(plan.name() + " " + plan.release() + " is already the stable release: nothing to do");
                        return new Outcome.Succeeded(stable.state());
                    }
                    if (start instanceof RolloutStart.Fresh fresh) {
                        store.write(plan.name(), RolloutStateCodec.encode(fresh.state()),
                                store.read(plan.name()).map(StateStore.Versioned::version).orElse(null), lock);
                    }
                } else if (existing == null) {
                    throw new InvalidInputException("no rollout of '" + plan.name() + "' to resume");
                }
                if (request != null) {
                    ManualCommands.append(store, plan.name(), request, Identity.who(), clock.instant());
                }
                List<RolloutListener> listeners = new ArrayList<>(platform.listeners());
                listeners.addAll(extraListeners);
                Optional<WebhookNotifier> notifier = WebhookNotifier.forPlan(plan, env);
                notifier.ifPresent(listeners::add);
                // the keeper also renews between decisions, by the session's clock: a test's clock may run ahead
                // of the keeper's timer
                Pauser renewing = d -> {
                    pauser.pause(d);
                    keeper.renewIfDue();
                };
                RolloutRunner runner = new RolloutRunner(platform.ports(), settings, clock, renewing, listeners, lock);
                try {
                    return runner.run(plan.name(), until);
                } finally {
                    notifier.ifPresent(WebhookNotifier::close);
                }
            }
        }
    }

    static Duration lockTtl(RolloutSettings s) {
        Duration five = s.interval().multipliedBy(5);
        return five.compareTo(Duration.ofSeconds(15)) > 0 ? five : Duration.ofSeconds(15);
    }

    private static String holder(Mode mode) {
        return "botshift " + mode.name().toLowerCase(java.util.Locale.ROOT) + " (pid " + ProcessHandle.current().pid()
                + " on " + Identity.host() + ")";
    }
}
