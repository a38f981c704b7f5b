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
import dev.botshift.state.AppLock;
import dev.botshift.state.StateStore;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One run of the rollout loop for a plan, holding the app lock: what deploy, resume, abort and the demo share.
 * Progress goes to {@code err} and the listeners; the caller reports the {@link Outcome}.
 */
public final class RolloutSession {
    /** How {@link #run} should treat what is stored. */
    public enum Mode { DEPLOY, RESUME }

    private final Plan plan;
    private final StateOptions options;
    private final Map<String, String> env;
    private final PrintStream err;
    private final List<RolloutListener> extraListeners = new ArrayList<>();

    public RolloutSession(Plan plan, StateOptions options, Map<String, String> env, PrintStream err) {
        this.plan = plan;
        this.options = options;
        this.env = env;
        this.err = err;
    }

    public RolloutSession listener(RolloutListener l) {
        extraListeners.add(l);
        return this;
    }

    /**
     * Runs the rollout loop under the app lock.
     *
     * @param request a manual command to hand in first (resume, abort), or null
     */
    public Outcome run(Mode mode, Request.Kind request, boolean detach) throws InterruptedException {
        RolloutSettings settings = RolloutSettings.from(plan);
        StateStore store = Platforms.stateStore(plan, options);
        Duration ttl = lockTtl(settings);
        AppLock lock = store.lock(plan.name(), holder(mode), ttl);
        try (LockKeeper keeper = new LockKeeper(lock, ttl)) {
            RolloutState existing = store.read(plan.name()).map(v -> RolloutStateCodec.decode(v.json())).orElse(null);
            if (mode == Mode.DEPLOY) {
                RolloutStart start = RolloutStart.decide(existing, plan.name(), plan.release(),
                        plan.source().toAbsolutePath().toString(), UUID.randomUUID().toString().substring(0, 8),
                        Instant.now());
                if (start instanceof RolloutStart.AlreadyStable stable) {
                    err.println(plan.name() + " " + plan.release() + " is already the stable release: nothing to do");
                    return new Outcome.Succeeded(stable.state());
                }
                if (start instanceof RolloutStart.Fresh fresh) {
                    store.write(plan.name(), RolloutStateCodec.encode(fresh.state()),
                            store.read(plan.name()).map(StateStore.Versioned::version).orElse(null));
                }
            } else if (existing == null) {
                throw new InvalidInputException("no rollout of '" + plan.name() + "' to resume");
            }
            if (request != null) {
                ManualCommands.append(store, plan.name(), request, Identity.who(), Instant.now());
            }
            try (Platform platform = Platforms.open(plan, options, env, err)) {
                List<RolloutListener> listeners = new ArrayList<>(platform.listeners());
                listeners.addAll(extraListeners);
                Optional<WebhookNotifier> notifier = WebhookNotifier.forPlan(plan, env);
                notifier.ifPresent(listeners::add);
                RolloutRunner runner = new RolloutRunner(platform.ports(), settings, Clock.systemUTC(), Pauser.REAL,
                        listeners);
                try {
                    return runner.run(plan.name(), detach);
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
