package dev.botshift.os;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets a run that owns everything it started (the demo, the benchmark harness) clean up when it is stopped by Ctrl-C
 * or SIGTERM. On a signal the JVM runs its shutdown hooks and halts, and no {@code finally} block of a running thread
 * runs: the bots and the router, in sessions of their own so that a Ctrl-C on {@code deploy} does not stop a
 * rollout, would be left running with nothing to stop them. While one of these is open, a signal interrupts the
 * run's thread and holds the JVM up (at most {@code grace}) until the run has left its {@code finally} blocks and
 * closed this.
 */
public final class CleanUpOnSignal implements AutoCloseable {
    private static final AtomicBoolean SIGNALLED = new AtomicBoolean();
    private final Thread hook;
    private final CountDownLatch cleanedUp = new CountDownLatch(1);
    private final PrintStream progress;
    private final String whenStopped;

    private CleanUpOnSignal(Thread run, Duration grace, PrintStream progress, String whenStopped) {
        this.progress = progress;
        this.whenStopped = whenStopped;
        hook = new Thread(() -> {
            SIGNALLED.set(true);
            progress.println("Stopped: cleaning up what this run started (at most " + grace.toSeconds() + " s)...");
            run.interrupt();
            try {
                if (!cleanedUp.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    progress.println("The clean-up did not end within " + grace.toSeconds() + " s: processes it had "
                            + "not stopped yet are left running.");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "clean-up-on-signal");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Guards the calling thread's run; close it last, after the run's own clean-up.
     *
     * @param whenStopped the run's last line after a stop, printed when it is closed: the JVM ends as soon as it is,
     *                    so a line printed by the caller after that may never appear
     */
    public static CleanUpOnSignal forThisThread(Duration grace, PrintStream progress, String whenStopped) {
        return new CleanUpOnSignal(Thread.currentThread(), grace, progress, whenStopped);
    }

    /** Whether a signal has stopped a run in this JVM (its last line is then said). */
    public static boolean signalled() {
        return SIGNALLED.get();
    }

    /**
     * Call first in a {@code finally} block that stops what the run started. A stop interrupts the run's thread once,
     * but code that caught the interrupt may have set the thread's flag again (as it should), and with the flag set
     * the first wait of the clean-up (a process's exit, a drain) would throw at once and skip the rest.
     */
    public static void beforeCleanUp() {
        Thread.interrupted();
    }

    @Override
    public void close() {
        if (SIGNALLED.get()) {
            progress.println(whenStopped);
        }
        cleanedUp.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it was waiting for the count-down above and now lets the JVM end
        }
    }
}
