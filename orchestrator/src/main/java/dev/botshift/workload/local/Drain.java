package dev.botshift.workload.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Stops processes the way a platform drains a pod: SIGTERM so the bot finishes in-flight updates, the drain timeout
 * to do it, then SIGKILL. Children of a bot (a wrapper script's JVM) are signalled too; they are collected before the
 * parent dies, because afterwards they are re-parented and no longer findable from it.
 */
final class Drain {
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final long POLL_MS = 50;

    private Drain() {
    }

    static void stop(List<ProcessHandle> roots, Duration drainTimeout, Consumer<String> progress) {
        List<ProcessHandle> targets = new ArrayList<>();
        for (ProcessHandle root : roots) {
            targets.add(root);
            root.descendants().forEach(targets::add);
        }
        for (ProcessHandle target : targets) {
            if (dev.botshift.os.ProcessLife.stopped(target.pid())) {
                // it cannot finish anything, nor act on SIGTERM, until continued: the drain would only wait its timeout
                progress.accept("  pid " + target.pid() + " is stopped (SIGSTOP): killing");
                target.destroyForcibly();
            } else {
                target.destroy();
            }
        }
        List<ProcessHandle> stubborn = waitGone(targets, drainTimeout);
        if (stubborn.isEmpty()) {
            return;
        }
        progress.accept("  " + pids(stubborn) + " still running " + drainTimeout.toMillis() + " ms after SIGTERM: killing");
        stubborn.forEach(ProcessHandle::destroyForcibly);
        List<ProcessHandle> undead = waitGone(stubborn, KILL_WAIT);
        if (!undead.isEmpty()) {
            throw new IllegalStateException("processes " + pids(undead) + " survived SIGKILL for " + KILL_WAIT.toSeconds() + " s");
        }
    }

    private static List<ProcessHandle> waitGone(List<ProcessHandle> handles, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ProcessHandle> alive = alive(handles);
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return alive;
            }
            alive = alive(alive);
        }
        return alive;
    }

    private static List<ProcessHandle> alive(List<ProcessHandle> handles) {
        return handles.stream().filter(dev.botshift.os.ProcessLife::alive).collect(Collectors.toList());
    }

    private static String pids(List<ProcessHandle> handles) {
        return handles.stream().map(h -> "pid " + h.pid()).collect(Collectors.joining(", "));
    }
}
