package dev.botshift.os;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** How Botshift stops one of its own long-lived processes (router, supervisor): SIGTERM, a grace period, then SIGKILL. */
public final class Termination {
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
                handle.onExit().completeOnTimeout(handle, grace.toMillis(), TimeUnit.MILLISECONDS).join();
                return;
            }
            handle.destroy();
            try {
                handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handle.destroyForcibly();
            } catch (ExecutionException | TimeoutException e) {
                handle.destroyForcibly();
            }
        });
    }
}
