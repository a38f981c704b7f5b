package dev.botshift.platform;

import dev.botshift.core.Slot;
import dev.botshift.os.PrivateFiles;
import dev.botshift.rollout.Repairs;
import dev.botshift.supervise.local.SupervisorProcess;
import dev.botshift.traffic.handover.ConsumerHandover;
import dev.botshift.traffic.router.BotshiftRouterClient;
import dev.botshift.traffic.router.RouterProcess;
import dev.botshift.traffic.router.RouterSpare;
import dev.botshift.workload.local.LocalWorkloads;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The embedded default's data plane, guarded by the process that drives the rollout (the supervisor). A router that
 * died is replaced on its port, where the replacement reads the split and backends stored in the config file: by the
 * hot spare ({@link RouterSpare}, a warm router process kept waiting, bound to no port) when there is one, else by a
 * router started cold. The guard hears of the death at once when the router is its child (its exit wakes it), and
 * within {@link #ROUTER_PERIOD} in any case, on a thread of its own. A router that lives but answers nothing
 * ({@link #HUNG_AFTER} looks in a row) is killed and replaced the same way. Instances are checked every
 * {@link #PERIOD}: a bot instance that died is taken out of the router and, when its release's plan is known (the
 * plan's, or blue's), replaced (the replacement joins once it answers its health check); a handover's one consumer is
 * kept where the last switch put it. A call that finds the router gone recovers it at once ({@link #recover}). What
 * was repaired is handed to the runner ({@link Repairs}), which records it in the rollout's history.
 */
final class DataPlaneGuard implements Repairs, BotshiftRouterClient.Recovery, AutoCloseable {
    static final Duration PERIOD = Duration.ofMillis(500);
    /**
     * How often the router's pid is looked at: a look is one read of /proc, and the wake-up on its exit is immediate
     * only for a router this process started (the JDK polls, ever more slowly, a process that is not its child).
     */
    static final Duration ROUTER_PERIOD = Duration.ofMillis(100);
    /** How often the router's admin API is asked whether it answers: a live process that answers nothing is hung. */
    static final Duration PROBE_PERIOD = Duration.ofSeconds(1);
    /** How long one such look waits: a router answers in milliseconds, even on a loaded machine. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    /**
     * Looks in a row without an answer before a live router counts as hung and is killed, so that its spare takes over:
     * about 9 s of silence (a GC pause or a busy machine is far shorter; a killed healthy router costs its spare's
     * takeover, a fraction of a second).
     */
    static final int HUNG_AFTER = 3;
    /** How often the logs of the bots, the router and the supervisor are looked at (a stat each). */
    static final Duration LOG_PERIOD = Duration.ofSeconds(10);

    private final Path routerDir;
    private final RouterProcess.Options options;
    private final LocalWorkloads workloads;
    private final String release;
    private final PrintStream progress;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Repair> repairs = new ConcurrentLinkedQueue<>();
    private final boolean hotSpare;
    /** With {@code telegram-handover}: the one consumer, kept where the rollout put it; null otherwise. */
    private final ConsumerHandover consumer;
    private String consumerTrouble;
    private volatile RouterProcess router;
    private ScheduledExecutorService timer;
    /** The router's own thread: its repair never waits behind the instances' (which may start a bot). */
    private ScheduledExecutorService routerWatch;
    private ExecutorService spares;
    private RouterSpare spare;
    private boolean closed;
    /** No spare is started before this (see {@link #delaySpare}). */
    private volatile Instant spareNotBefore = Instant.MIN;
    private Instant nextLogLook = Instant.MIN;
    /** Looks in a row the router did not answer, and the client looking (only the router watch's thread uses them). */
    private int unanswered;
    private BotshiftRouterClient prober;
    private RouterProcess probed;

    /**
     * @param release  the release of the plan this process holds: its instances can be started again
     * @param consumer with {@code telegram-handover}, the switch of the one consumer (kept each round), else null
     */
    DataPlaneGuard(RouterProcess router, Path routerDir, RouterProcess.Options options, LocalWorkloads workloads,
                   String release, ConsumerHandover consumer, PrintStream progress, Clock clock) {
        this(router, routerDir, options, workloads, release, consumer, progress, clock, true);
    }

    /** @param hotSpare whether to keep a spare router ready (the supervisor does; a test may compare without) */
    DataPlaneGuard(RouterProcess router, Path routerDir, RouterProcess.Options options, LocalWorkloads workloads,
                   String release, ConsumerHandover consumer, PrintStream progress, Clock clock, boolean hotSpare) {
        this.hotSpare = hotSpare;
        this.consumer = consumer;
        this.router = router;
        this.routerDir = routerDir;
        this.options = options;
        this.workloads = workloads;
        this.release = release;
        this.progress = progress;
        this.clock = clock;
    }

    RouterProcess router() {
        return router;
    }

    synchronized void start() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "botshift-data-plane-guard");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::check, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
            routerWatch = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "botshift-router-guard");
                t.setDaemon(true);
                return t;
            });
            routerWatch.scheduleWithFixedDelay(this::checkRouter, ROUTER_PERIOD.toMillis(), ROUTER_PERIOD.toMillis(),
                    TimeUnit.MILLISECONDS);
            routerWatch.scheduleWithFixedDelay(this::probeRouter, PROBE_PERIOD.toMillis(), PROBE_PERIOD.toMillis(),
                    TimeUnit.MILLISECONDS);
            spares = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "botshift-router-spare");
                t.setDaemon(true);
                return t;
            });
            watch(router);
            replenish();
        }
    }

    /** Starts the first spare only {@code delay} after now (called before {@link #start}). */
    void delaySpare(Duration delay) {
        spareNotBefore = clock.instant().plus(delay);
    }

    /** The spare waiting now, if any (tests). */
    synchronized Optional<RouterSpare> spare() {
        return Optional.ofNullable(spare);
    }

    /** Wakes the guard when {@code watched} exits, instead of at the next round. */
    private void watch(RouterProcess watched) {
        watched.onExit().thenRun(() -> {
            ScheduledExecutorService t;
            synchronized (this) {
                t = routerWatch;
            }
            try {
                if (t != null) {
                    t.execute(this::checkRouter);
                }
            } catch (RejectedExecutionException e) {
                // closed meanwhile: nothing to guard any more
            }
        });
    }

    /** Starts a spare in the background when there is none (or it died): the restart after the next death is warm. */
    private void replenish() {
        if (!hotSpare || clock.instant().isBefore(spareNotBefore)) {
            return; // a round after the delay starts it
        }
        synchronized (this) {
            if (closed || spares == null || (spare != null && spare.alive())) {
                return;
            }
            if (spare != null) {
                progress.println("guard: the spare router (pid " + spare.pid() + ") died: starting another");
                spare.close();
                spare = null;
            }
            try {
                spares.execute(this::startSpare);
            } catch (RejectedExecutionException e) {
                // closed meanwhile
            }
        }
    }

    private void startSpare() {
        RouterSpare fresh;
        synchronized (this) {
            if (closed || spare != null) {
                return;
            }
            try {
                // the live router's actual port: a plan's listenPort 0 picked one, and the spare must take that one
                fresh = RouterSpare.start(routerDir, options.withListenPort(router.listenPort()));
            } catch (RuntimeException e) {
                progress.println("guard: could not start a spare router (a dead router will be started cold): "
                        + e.getMessage());
                return;
            }
            spare = fresh;
        }
    }

    private void checkRouter() {
        try {
            if (!router.alive()) {
                restart("died");
            }
        } catch (RuntimeException e) {
            progress.println("guard: could not start the router again this time: " + e.getMessage());
        }
    }

    /**
     * A router whose process lives but whose health check has failed {@link #HUNG_AFTER} looks in a row serves nothing
     * either: its admin API answered nothing (stopped, deadlocked, out of threads) or said its webhook port is stuck
     * (an event loop that runs nothing). It is killed and replaced like a dead one.
     */
    private void probeRouter() {
        RouterProcess watched = router;
        try {
            if (watched != probed) {
                prober = watched.client(PROBE_TIMEOUT); // one client per router, not one per look
                probed = watched;
                unanswered = 0;
            }
            if (!watched.alive() || prober.healthy()) {
                unanswered = 0; // a dead one is checkRouter's
                return;
            }
            if (++unanswered < HUNG_AFTER || watched != router) {
                return;
            }
            unanswered = 0;
            progress.println("guard: the router (pid " + watched.pid() + ") lives but failed its health check "
                    + HUNG_AFTER + " looks in a row (no answer within " + PROBE_TIMEOUT.toSeconds() + " s, or its "
                    + "webhook port stuck): killed, to be replaced");
            watched.kill(Duration.ofSeconds(5));
            restart("was hung (its health check failed: no answer, or its webhook port stuck) and was killed");
        } catch (RuntimeException e) {
            progress.println("guard: could not replace the hung router this time: " + e.getMessage());
        }
    }

    /**
     * One round: a spare if it is missing, then each slot's instances, and every {@link #LOG_PERIOD} the logs. A failed
     * repair is said and tried again next round.
     */
    void check() {
        replenish();
        try {
            for (Slot slot : Slot.values()) {
                workloads.replaceDead(slot, release).ifPresent(r -> {
                    progress.println("guard: " + r.describe());
                    repairs.add(new Repair(clock.instant(), slot, r.describe()));
                });
                for (String joined : workloads.admitReady(slot)) {
                    progress.println("guard: " + joined + " answers its health check: back in the router");
                }
            }
        } catch (RuntimeException e) {
            progress.println("guard: could not repair the data plane this round: " + e.getMessage());
        }
        if (consumer != null) {
            keepConsumer();
        }
        if (!clock.instant().isBefore(nextLogLook)) {
            nextLogLook = clock.instant().plus(LOG_PERIOD);
            cutLongLogs();
        }
    }

    /** A replacement of the consuming instance starts standing by: it is handed the updates once it answers. */
    private void keepConsumer() {
        try {
            consumer.keep().ifPresent(slot -> {
                String what = "no instance consumed the updates (a replacement starts standing by): handed them to "
                        + String.join(", ", workloads.endpoints(slot).stream().map(String::valueOf).toList());
                progress.println("guard: " + what);
                repairs.add(new Repair(clock.instant(), slot, what));
            });
            consumerTrouble = null;
        } catch (RuntimeException e) {
            // an instance still starting answers nothing yet: said once, tried again next round
            String trouble = String.valueOf(e.getMessage());
            if (!trouble.equals(consumerTrouble)) {
                progress.println("guard: cannot hand the updates to the consuming colour yet: " + trouble);
            }
            consumerTrouble = trouble;
        }
    }

    /**
     * The logs of processes that may run for months without a restart (the bots, the router, the supervisor itself)
     * are cut in place past {@link PrivateFiles#LOG_LIMIT_BYTES}; the older part is kept as {@code <name>.1}.
     */
    private void cutLongLogs() {
        List<Path> logs = new ArrayList<>();
        try {
            logs.addAll(workloads.logFiles());
        } catch (RuntimeException e) {
            // never out of a round: a scheduled task that throws is not run again, and the guard would stop
            progress.println("guard: could not list the bots' logs: " + e.getMessage());
        }
        logs.add(routerDir.resolve(RouterProcess.LOG_FILE));
        logs.add(routerDir.getParent().resolve(SupervisorProcess.LOG));
        for (Path log : logs) {
            try {
                if (PrivateFiles.cutIfOver(log, PrivateFiles.LOG_LIMIT_BYTES)) {
                    progress.println("guard: " + log + " passed " + (PrivateFiles.LOG_LIMIT_BYTES >> 20)
                            + " MiB: cut, its older part kept in " + log.getFileName() + ".1");
                }
            } catch (RuntimeException e) {
                progress.println("guard: could not cut " + log + ": " + e.getMessage());
            }
        }
    }

    /** A call could not reach the router: started again if it died, else the same endpoint is tried once more. */
    @Override
    public Optional<BotshiftRouterClient.Endpoint> recover() {
        if (!router.alive()) {
            restart("died");
        }
        return Optional.of(router.endpoint());
    }

    /** @param how what happened to it, for the repair's text ("died") */
    private synchronized void restart(String how) {
        RouterProcess dead = router;
        if (dead.alive()) {
            return; // another thread restarted it meanwhile
        }
        Instant from = clock.instant();
        RouterSpare waiting = spare;
        spare = null;
        RouterProcess next = RouterProcess.attachOrStart(routerDir, options.withListenPort(dead.listenPort()), waiting);
        router = next;
        watch(next);
        if (waiting != null && next.pid() != waiting.pid()) {
            if (waiting.alive()) {
                spare = waiting; // a router answered after all (another process started it): keep the spare
            } else {
                waiting.close();
            }
        }
        long millis = Duration.between(from, clock.instant()).toMillis();
        String by = waiting != null && next.pid() == waiting.pid()
                ? "its hot spare (pid " + next.pid() + ") took over port " + next.listenPort()
                : "started again cold on port " + next.listenPort() + " (pid " + next.pid() + "; "
                        + (waiting == null ? "no spare was ready"
                                : "the spare (pid " + waiting.pid() + ") could not take over: " + waiting.why())
                        + ")";
        String what = "the router (pid " + dead.pid() + ") " + how + ": " + by + " with its stored split in " + millis
                + " ms";
        progress.println("guard: " + what);
        repairs.add(new Repair(clock.instant(), null, what));
        replenish();
    }

    @Override
    public List<Repair> take() {
        List<Repair> out = new ArrayList<>();
        for (Repair r = repairs.poll(); r != null; r = repairs.poll()) {
            out.add(r);
        }
        return out;
    }

    @Override
    public void close() {
        RouterSpare left;
        synchronized (this) {
            closed = true;
            if (timer != null) {
                timer.shutdownNow();
                timer = null;
            }
            if (routerWatch != null) {
                routerWatch.shutdownNow();
                routerWatch = null;
            }
            if (spares != null) {
                spares.shutdownNow();
                spares = null;
            }
            left = spare;
            spare = null;
        }
        if (left != null) {
            left.close(); // a spare never outlives the guard: it would wait for a go that cannot come
        }
    }
}
