package dev.botshift.supervise;

import dev.botshift.core.BotshiftException;
import dev.botshift.core.DurationText;
import dev.botshift.core.VisibleText;
import dev.botshift.display.EventLog;
import dev.botshift.notify.WebhookNotifier;
import dev.botshift.plan.Plan;
import dev.botshift.platform.Identity;
import dev.botshift.platform.PlatformFactory;
import dev.botshift.platform.RolloutSession;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutListener;
import dev.botshift.rollout.Pauser;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.rollout.Until;
import dev.botshift.state.AppLock;
import dev.botshift.state.LockHeldException;
import dev.botshift.state.StateStore;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
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
    /** A blocked driver's record is written under the app's lock, held this long at most. */
    private static final Duration BLOCKED_LOCK = Duration.ofSeconds(15);
    /**
     * A cause recorded less than this long ago is not recorded again after its driver drove for a moment: a session
     * that fails at each try after one decision put "cannot drive" and "drives again" into the history and to the
     * webhook every 5 s (the history has no bound); the log has each, and {@code status} the supervisor's own record.
     */
    static final Duration RECORDED_AGAIN_AFTER = Duration.ofMinutes(10);
    /** A cause longer than this is cut (a stack of nested messages); the log has it whole. */
    private static final int MAX_CAUSE = 1_000;

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
        return drive(app, null);
    }

    /** As {@link #drive(String)}, telling {@code extra} too of the session's events and decisions, when not null. */
    private Optional<Outcome> drive(String app, RolloutListener extra) throws InterruptedException {
        Instant giveUp = clock.instant().plus(PATIENCE);
        while (true) {
            Optional<RolloutState> state = stored(app);
            if (state.isEmpty() || state.get().phase().terminal()) {
                return Optional.empty();
            }
            Plan plan = plans.apply(state.get());
            try {
                RolloutSession session = new RolloutSession(plan, platforms, env, log, clock, pauser)
                        .holder(holder)
                        .listener(new EventLog(log));
                if (extra != null) {
                    session.listener(extra);
                }
                return Optional.of(session.run(RolloutSession.Mode.RESUME, null, Until.END));
            } catch (LockHeldException e) {
                if (clock.instant().isAfter(giveUp)) {
                    throw e;
                }
                log.println("waiting for " + e.holder() + " to release the lock of " + app);
                pauser.pause(Duration.ofMillis(500));
            }
        }
    }

    /**
     * Drives {@code app}'s rollout as {@link #drive} does, and keeps at it: a session that fails (the database
     * restarting, a file unreadable for a moment, a router that cannot start) is said in the log once per cause,
     * recorded in the rollout's history ({@link #blocked}, what {@code deploy} and {@code status} show) and tried again
     * every {@code retry}, until the rollout has ended or is forgotten. Between tries {@code keeper} guards what serves
     * (the session's guard ends with the session); it is closed before each try, so only one guards at a time. The
     * embedded default's supervisor: with nobody watching, one that ended at a passing fault left the rollout
     * undriven, green's traffic unjudged and a dead router or bot not replaced, until someone ran {@code resume}.
     * (The controller tries again at each of its rounds; Kubernetes keeps its pods itself.)
     *
     * @param keeper starts guarding the open rollout's router and bots (it may throw: said once per cause, the next
     *               wait tries again)
     * @param noted  told each cause as it is said (as the {@code DriverBlocked} recorded for it, which the history
     *               may not take: the lock or the store may be what fails), and empty once a session decides again or
     *               this returns: the supervisor's own record of it, for {@code status}
     * @return the outcome, or empty when there was nothing (left) to drive
     * @throws LockHeldException when another live holder kept the app's lock for {@link #PATIENCE}: that one drives
     */
    public Optional<Outcome> driveOn(String app, Duration retry, Function<RolloutState, ? extends AutoCloseable> keeper,
                                     Consumer<Optional<RolloutEvent.DriverBlocked>> noted) throws InterruptedException {
        Said cannotDrive = new Said();
        Said cannotGuard = new Said();
        // at a session's first decision the block, if any, is over: said and noted again if it comes back
        RolloutListener drivingAgain = new RolloutListener() {
            @Override
            public void onEvent(RolloutEvent event, RolloutState state) {
            }

            @Override
            public void onTick(RolloutState state, dev.botshift.rollout.Snapshot snapshot) {
                if (cannotDrive.forget()) {
                    noted.accept(Optional.empty());
                }
            }
        };
        try {
            while (true) {
                try {
                    return drive(app, drivingAgain);
                } catch (LockHeldException e) {
                    throw e;
                } catch (RuntimeException e) {
                    String cause = cause(e);
                    RolloutEvent.DriverBlocked event = blockedBy(cause);
                    if (cannotDrive.once(cause, holder + ": cannot drive the rollout of " + app + ": " + cause
                            + "; trying again every " + DurationText.spoken(retry))) {
                        noted.accept(Optional.of(event)); // the same event the history is given
                    }
                    record(app, event);
                }
                waitAndKeep(app, retry, keeper, cannotGuard);
            }
        } finally {
            if (cannotDrive.forget()) {
                noted.accept(Optional.empty());
            }
        }
    }

    /** Waits {@code retry} before the next try, the open rollout's router and bots guarded meanwhile. */
    private void waitAndKeep(String app, Duration retry, Function<RolloutState, ? extends AutoCloseable> keeper,
                             Said cannotGuard) throws InterruptedException {
        AutoCloseable kept = keep(app, keeper, cannotGuard);
        try {
            pauser.pause(retry);
        } finally {
            try {
                kept.close(); // the router and bots run on: the next try's session guards them
            } catch (Exception e) {
                log.println(holder + ": could not stop guarding " + app + ": " + e.getMessage());
            }
        }
    }

    /** Guards the open rollout's router and bots while it cannot be driven; a no-op when that fails too. */
    private AutoCloseable keep(String app, Function<RolloutState, ? extends AutoCloseable> keeper, Said cannotGuard) {
        try {
            Optional<RolloutState> open = stored(app).filter(s -> !s.phase().terminal());
            if (open.isPresent()) {
                AutoCloseable kept = keeper.apply(open.get());
                cannotGuard.once("", holder + ": guarding the router and bots of " + app + " until it can drive");
                return kept;
            }
        } catch (RuntimeException e) {
            String cause = cause(e);
            cannotGuard.once(cause, holder + ": cannot guard the router and bots of " + app + " either: " + cause);
        }
        return () -> { };
    }

    /** A line said when what it is about changes, not at every try. */
    private final class Said {
        private String last;

        /** @return whether it was said now */
        boolean once(String about, String line) {
            if (about.equals(last)) {
                return false;
            }
            log.println(line);
            last = about;
            return true;
        }

        /** Forgets what was said, so that it is said again if it comes back; whether there was anything. */
        boolean forget() {
            boolean was = last != null;
            last = null;
            return was;
        }
    }

    /**
     * Puts why this driver cannot drive {@code app} into the app's history ({@link RolloutEvent.DriverBlocked}), once
     * per cause, so that {@code botshift deploy} and {@code status} show it instead of a rollout that waits without a
     * word, and posts it to the plan's notification webhook when the plan can be read: with nobody watching, that is
     * how a team hears of it. A record that cannot be written (the lock held elsewhere, the store unreadable or
     * unreachable) costs only the record: the log has the cause.
     */
    public void blocked(String app, String why) {
        record(app, blockedBy(why));
    }

    /** This driver's {@code DriverBlocked} for {@code why}, now, a cause too long cut. */
    private RolloutEvent.DriverBlocked blockedBy(String why) {
        return new RolloutEvent.DriverBlocked(clock.instant(), holder, VisibleText.cut(why, MAX_CAUSE));
    }

    /** {@link #blocked}, for an event already made. */
    private void record(String app, RolloutEvent.DriverBlocked event) {
        String cause = event.why();
        RolloutState recorded;
        try (AppLock lock = store.lock(app, holder, BLOCKED_LOCK)) {
            Optional<StateStore.Versioned> stored = store.read(app);
            if (stored.isEmpty()) {
                return;
            }
            RolloutState s = RolloutStateCodec.decode(stored.get().json());
            if (s.phase().terminal() || recordedLately(s.history(), event)) {
                return;
            }
            recorded = s.record(event);
            store.write(app, RolloutStateCodec.encode(recorded), stored.get().version(), lock);
        } catch (RuntimeException unrecorded) {
            return; // see above
        }
        notify(event, recorded); // after the lock: a slow webhook must not hold a deploy up
    }

    /**
     * Whether {@code event}'s cause is the history's last word already, or was recorded less than
     * {@link #RECORDED_AGAIN_AFTER} before it.
     */
    private static boolean recordedLately(List<RolloutEvent> history, RolloutEvent.DriverBlocked event) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i) instanceof RolloutEvent.DriverBlocked earlier) {
                return earlier.why().equals(event.why()) && (i == history.size() - 1
                        || earlier.at().plus(RECORDED_AGAIN_AFTER).isAfter(event.at()));
            }
        }
        return false;
    }

    /** Posts {@code event} as the rollout's own sessions post theirs; nothing when its plan cannot be read. */
    private void notify(RolloutEvent event, RolloutState s) {
        Plan plan;
        try {
            plan = plans.apply(s);
        } catch (RuntimeException unreadable) {
            return; // often the very cause: the history and the log have it
        }
        WebhookNotifier.forPlan(plan, env).ifPresent(notifier -> {
            try (notifier) {
                notifier.onEvent(event, s);
            }
        });
    }

    /**
     * What a session's failure says: Botshift's own message, anything else (a library's failure, a defect) with its
     * class too, which its message alone may not name.
     */
    public static String cause(RuntimeException e) {
        return e instanceof BotshiftException ? String.valueOf(e.getMessage()) : e.toString();
    }

    static String holder() {
        return "botshift supervisor (pid " + ProcessHandle.current().pid() + " on " + Identity.host() + ")";
    }
}
