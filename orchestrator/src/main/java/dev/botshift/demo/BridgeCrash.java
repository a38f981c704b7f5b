package dev.botshift.demo;

import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutListener;
import dev.botshift.rollout.RolloutState;
import dev.botshift.traffic.router.RouterProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The demo's crash of the polling bridge: the first time green gets part (not all) of the updates, the router, which
 * is the bot's one {@code getUpdates} consumer, is killed with SIGKILL. The process driving the rollout starts it
 * again (its data-plane guard); the new router polls from the offset the dead one last wrote, so the updates
 * acknowledged since are delivered again, and the bot's deduplication by update id stores each once (docs/polling.md).
 * The demo's ledger then shows whether anything was lost or stored twice; this listener times the router's return.
 */
final class BridgeCrash implements RolloutListener {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Path routerDir;
    private final Consumer<String> say;
    private volatile Thread watcher;
    private volatile Double restartSeconds;

    /** @param routerDir where the app's router records itself ({@code <state>/<app>/router}) */
    BridgeCrash(Path routerDir, Consumer<String> say) {
        this.routerDir = routerDir;
        this.say = say;
    }

    @Override
    public void onEvent(RolloutEvent event, RolloutState state) {
        if (watcher != null || !(event instanceof RolloutEvent.TrafficShifted t)
                || t.split().green() == 0 || t.split().green() == 100) {
            return;
        }
        Optional<RouterProcess> router = RouterProcess.attach(routerDir);
        if (router.isEmpty()) {
            return;
        }
        long pid = router.get().pid();
        say.accept("The bridge crashes: the router (pid " + pid + ") is killed with SIGKILL while green has "
                + t.split().green() + " % of the updates.");
        long killed = System.nanoTime();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        Thread w = new Thread(() -> awaitReturn(pid, killed), "demo-bridge-crash");
        w.setDaemon(true);
        watcher = w;
        w.start();
    }

    /** Waits (bounded) for a router other than the killed one to answer on the app's router record. */
    private void awaitReturn(long killedPid, long killedAt) {
        long deadline = killedAt + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<RouterProcess> next = RouterProcess.attach(routerDir);
            if (next.isPresent() && next.get().pid() != killedPid) {
                restartSeconds = (System.nanoTime() - killedAt) / 1e9;
                say.accept(String.format(java.util.Locale.ROOT, "The bridge is back: a new router (pid %d) polls "
                        + "again %.2f s after the kill, from the last offset it had written.", next.get().pid(),
                        restartSeconds));
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
        say.accept("The bridge did not come back within " + PATIENCE.toSeconds() + " s of the kill.");
    }

    /** Seconds from the kill until a new router answered; null when no crash happened or it did not come back. */
    Double restartSeconds() throws InterruptedException {
        Thread w = watcher;
        if (w != null) {
            w.join(PATIENCE.toMillis());
        }
        return restartSeconds;
    }
}
