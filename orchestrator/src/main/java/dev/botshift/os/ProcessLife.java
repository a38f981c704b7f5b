package dev.botshift.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether a process still lives, as the one rule for every process Botshift watches (routers, bots, spares).
 *
 * <p>A process that exited but was not yet reaped by its parent still counts as alive for {@link ProcessHandle}: a
 * re-attached bot is not our child, and where nobody reaps it (a container whose pid 1 is not an init) it stays a
 * zombie forever. Its ports are closed all the same, and a guard woken by its exit must see it dead. Only once its last
 * thread is gone, though: a killed JVM's main thread shows as a zombie while its other threads still tear down and
 * hold its sockets (a port taken over then is "already in use").
 */
public final class ProcessLife {
    private ProcessLife() {
    }

    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessLife::alive).orElse(false);
    }

    public static boolean alive(ProcessHandle handle) {
        return handle.isAlive() && !exited(handle.pid());
    }

    /** The live process {@code pid} if it is the one recorded as {@code recorded} ({@link ProcessStart}). */
    public static Optional<ProcessHandle> live(long pid, ProcessStart recorded) {
        return ProcessStart.live(pid, recorded).filter(ProcessLife::alive);
    }

    /**
     * Stopped (SIGSTOP, Ctrl-Z, a debugger): it acts on no signal but SIGKILL until something continues it, so a
     * SIGTERM would only wait out its grace. False without {@code /proc} (not Linux) or once it is gone.
     */
    public static boolean stopped(long pid) {
        char state = state(pid);
        return state == 'T' || state == 't';
    }

    /** A zombie whose last thread is gone; false without {@code /proc} (not Linux) or once it is reaped. */
    static boolean exited(long pid) {
        if (state(pid) != 'Z') {
            return false;
        }
        try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return threads.count() <= 1;
        } catch (IOException | RuntimeException e) {
            return false; // reaped meanwhile: ProcessHandle has the answer
        }
    }

    /** The state letter of {@code /proc/<pid>/stat} (after the command name, which may hold spaces); 0 without it. */
    private static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int afterName = stat.lastIndexOf(')');
            return afterName < 0 || afterName + 2 >= stat.length() ? 0 : stat.charAt(afterName + 2);
        } catch (IOException | RuntimeException e) {
            return 0; // no /proc or already gone: ProcessHandle has the answer
        }
    }
}
