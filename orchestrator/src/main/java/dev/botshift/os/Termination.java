package dev.botshift.os;

import java.time.Duration;

/** How Botshift stops one of its own long-lived processes (router, supervisor): SIGTERM, a grace period, then SIGKILL. */
public final class Termination {
    /**
     * How often the end is looked for. Not {@link ProcessHandle#onExit()}: for a process that is not this one's child
     * (a supervisor or router started by an earlier command) the JDK looks 300 ms after the request, then in steps
     * growing by 30 ms, and an exited process nobody reaps stays alive to it until the grace is over.
     */
    private static final Duration LOOK_EVERY = Duration.ofMillis(20);

    private Termination() {
    }

    /**
     * Asks {@code pid} to stop and waits up to {@code grace}; forces it after that, or at once when it is stopped
     * ({@link ProcessLife#stopped}: it could not act on the request). Nothing when it is gone already.
     */
    public static void stop(long pid, Duration grace) {
        ProcessHandle.of(pid).ifPresent(handle -> {
            if (ProcessLife.stopped(pid)) {
                handle.destroyForcibly();
                ended(handle, grace);
                return;
            }
            handle.destroy();
            if (!ended(handle, grace)) {
                handle.destroyForcibly();
            }
        });
    }

    /** Whether the process ended ({@link ProcessLife#alive}) within {@code grace}; false when interrupted. */
    private static boolean ended(ProcessHandle handle, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (ProcessLife.alive(handle)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(LOOK_EVERY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
