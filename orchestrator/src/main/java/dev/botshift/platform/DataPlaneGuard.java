package dev.botshift.platform;

import dev.botshift.core.Slot;
import dev.botshift.rollout.Repairs;
import dev.botshift.traffic.router.BotshiftRouterClient;
import dev.botshift.traffic.router.RouterProcess;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The embedded default's data plane, guarded by the process that drives the rollout (the supervisor): every
 * {@link #PERIOD} a router that died is started again on its port, where it reads the split and backends it had
 * stored, and a bot instance that died is taken out of the router and, when it runs the plan's release, replaced (the
 * replacement joins once it answers its health check). A call that finds the router gone recovers it at once ({@link #recover}). What was
 * repaired is handed to the runner ({@link Repairs}), which records it in the rollout's history.
 */
final class DataPlaneGuard implements Repairs, BotshiftRouterClient.Recovery, AutoCloseable {
    static final Duration PERIOD = Duration.ofMillis(500);

    private final Path routerDir;
    private final RouterProcess.Options options;
    private final LocalWorkloads workloads;
    private final String release;
    private final PrintStream progress;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Repair> repairs = new ConcurrentLinkedQueue<>();
    private volatile RouterProcess router;
    private ScheduledExecutorService timer;

    /** @param release the release of the plan this process holds: its instances can be started again */
    DataPlaneGuard(RouterProcess router, Path routerDir, RouterProcess.Options options, LocalWorkloads workloads,
                   String release, PrintStream progress, Clock clock) {
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
        }
    }

    /** One round: the router, then each slot's instances. A failed repair is said and tried again next round. */
    void check() {
        try {
            if (!router.alive()) {
                restart();
            }
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
    }

    /** A call could not reach the router: started again if it died, else the same endpoint is tried once more. */
    @Override
    public Optional<BotshiftRouterClient.Endpoint> recover() {
        if (!router.alive()) {
            restart();
        }
        return Optional.of(router.endpoint());
    }

    private synchronized void restart() {
        RouterProcess dead = router;
        if (dead.alive()) {
            return; // another thread restarted it meanwhile
        }
        Instant from = clock.instant();
        router = RouterProcess.attachOrStart(routerDir, options.withListenPort(dead.listenPort()));
        String what = "the router (pid " + dead.pid() + ") died: started again on port " + router.listenPort()
                + " with its stored split in " + Duration.between(from, clock.instant()).toMillis() + " ms";
        progress.println("guard: " + what);
        repairs.add(new Repair(clock.instant(), null, what));
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
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
