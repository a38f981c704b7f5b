package dev.botshift.supervise.local;

import dev.botshift.core.DurationText;
import dev.botshift.platform.DataPlaneKeeper;
import dev.botshift.rollout.Repairs;
import dev.botshift.rollout.RolloutState;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The embedded default's supervisor between rollouts: once a rollout has ended, it guards that rollout's router and
 * bots ({@link DataPlaneKeeper}) until the next rollout is handed in or the rollout is forgotten, recording what it
 * repaired ({@link SupervisorProcess#recordGuarding}, what {@code botshift status} shows). What keeps it from guarding
 * (a plan it cannot read, a router it cannot start, a rollout it cannot read) is said once, recorded, and tried again
 * every {@link #RETRY}: with nobody watching, a supervisor that left on a passing fault would leave the router and
 * bots unguarded until someone looked.
 */
public final class EndedRolloutGuard {
    /** How often the stored rollout is looked at for a new one (a deploy waits for it to be picked up). */
    static final Duration KEEP_PERIOD = Duration.ofMillis(500);
    /** How long a supervisor that cannot guard waits before trying again. */
    public static final Duration RETRY = Duration.ofSeconds(5);

    /** What guards an ended rollout's router and bots once started ({@link DataPlaneKeeper}). */
    public interface Keeper extends AutoCloseable {
        /** The repairs made since the last call. */
        List<Repairs.Repair> repairs();

        /** Stops guarding; the router and the bots run on. */
        @Override
        void close();
    }

    private final String app;
    private final Path appDir;
    private final Supplier<Optional<RolloutState>> stored;
    private final Function<RolloutState, ? extends Keeper> keeper;
    private final PrintStream log;
    private final Duration retry;

    /**
     * @param stored the app's stored rollout, read again at each look (it may throw: the read is tried again)
     * @param keeper starts guarding an ended rollout's router and bots (it may throw: tried again)
     */
    public EndedRolloutGuard(String app, Path appDir, Supplier<Optional<RolloutState>> stored,
                             Function<RolloutState, ? extends Keeper> keeper, PrintStream log) {
        this(app, appDir, stored, keeper, log, RETRY);
    }

    EndedRolloutGuard(String app, Path appDir, Supplier<Optional<RolloutState>> stored,
                      Function<RolloutState, ? extends Keeper> keeper, PrintStream log, Duration retry) {
        this.app = app;
        this.appDir = appDir;
        this.stored = stored;
        this.keeper = keeper;
        this.log = log;
        this.retry = retry;
    }

    /**
     * Guards until the stored rollout is no longer an ended one.
     *
     * @return the next rollout, handed in meanwhile; empty when the rollout was forgotten
     */
    public Optional<RolloutState> keep() throws InterruptedException {
        Trouble trouble = new Trouble();
        try {
            while (true) {
                Optional<RolloutState> now;
                try {
                    now = stored.get();
                } catch (RuntimeException e) {
                    trouble.say(null, "cannot read its rollout: " + e.getMessage());
                    awaitRetry();
                    continue;
                }
                if (now.isEmpty() || !now.get().phase().terminal()) {
                    return handedIn(now);
                }
                RolloutState ended = now.get();
                try (Keeper kept = keeper.apply(ended)) {
                    trouble.over();
                    return handedIn(guard(kept, ended));
                } catch (RuntimeException e) {
                    trouble.say(ended.runId(), e.getMessage());
                    awaitRetry();
                }
            }
        } finally {
            SupervisorProcess.forgetGuarding(appDir);
        }
    }

    /**
     * Waits {@code retry} ({@link #RETRY}) before the next try, or less: the stored rollout is looked at every {@link #KEEP_PERIOD}, as
     * while guarding, so one forgotten or handed in meanwhile is seen as soon.
     */
    private void awaitRetry() throws InterruptedException {
        long end = System.nanoTime() + retry.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(KEEP_PERIOD.toMillis());
            try {
                if (stored.get().map(s -> !s.phase().terminal()).orElse(true)) {
                    return;
                }
            } catch (RuntimeException e) {
                // the next try says it, if it is not the same as before
            }
        }
    }

    private Optional<RolloutState> handedIn(Optional<RolloutState> next) {
        log.println("botshift supervisor: " + next.map(n -> "the next rollout of " + app + ", " + n.release()
                + ", was handed in").orElse("the rollout of " + app + " was forgotten"));
        return next;
    }

    /**
     * Guards the ended rollout's router and bots until the stored rollout changes: returns it (a new one, or empty
     * when forgotten). A read of it that fails is said once and looked at again, guarding on.
     */
    private Optional<RolloutState> guard(Keeper kept, RolloutState ended) throws InterruptedException {
        SupervisorProcess.Guarding guarding = SupervisorProcess.Guarding.started(ended.runId(), Instant.now());
        SupervisorProcess.recordGuarding(appDir, guarding);
        log.println("botshift supervisor: " + app + " " + ended.release() + " ended " + ended.phase().code()
                + "; guarding its router and bots until the next rollout or 'botshift down " + app + "'");
        String unreadable = null;
        while (true) {
            Thread.sleep(KEEP_PERIOD.toMillis());
            List<Repairs.Repair> repaired = kept.repairs();
            if (!repaired.isEmpty()) {
                Repairs.Repair last = repaired.get(repaired.size() - 1);
                guarding = new SupervisorProcess.Guarding(ended.runId(), guarding.since(),
                        guarding.repairs() + repaired.size(), last.at(), last.what(), null);
                SupervisorProcess.recordGuarding(appDir, guarding); // what 'botshift status' shows
            }
            Optional<RolloutState> now;
            try {
                now = stored.get();
            } catch (RuntimeException e) {
                if (unreadable == null) {
                    log.println("botshift supervisor: cannot read the rollout of " + app + " (" + e.getMessage()
                            + "); guarding on, looking again every " + KEEP_PERIOD.toMillis() + " ms");
                }
                unreadable = e.getMessage();
                continue;
            }
            if (unreadable != null) {
                log.println("botshift supervisor: the rollout of " + app + " is readable again");
                unreadable = null;
            }
            if (now.isEmpty() || !now.get().phase().terminal()) {
                log.println("botshift supervisor: " + guarding.repairs() + " repairs while guarding " + app + " "
                        + ended.release());
                return now;
            }
        }
    }

    /** What keeps the supervisor from guarding: said in its log when it begins or changes, recorded for status. */
    private final class Trouble {
        private String said;
        private Instant since;

        /** @param runId the ended rollout's, null when it could not be read (then only the log says it) */
        void say(String runId, String cause) {
            if (!cause.equals(said)) {
                log.println("botshift supervisor: cannot guard the router and bots of " + app + ": " + cause
                        + "; trying again every " + DurationText.spoken(retry));
                said = cause;
                since = Instant.now();
            }
            if (runId != null) {
                SupervisorProcess.recordGuarding(appDir, SupervisorProcess.Guarding.troubled(runId, since, cause));
            }
        }

        void over() {
            if (said != null) {
                log.println("botshift supervisor: guarding again (could not since " + since + ": " + said + ")");
                said = null;
            }
        }
    }
}
