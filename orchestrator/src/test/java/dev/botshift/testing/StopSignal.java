package dev.botshift.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Stops a process with SIGSTOP (what a deadlock or a machine that swaps it out looks like from outside) and returns
 * once every thread of it is stopped. {@code kill -STOP} returns as soon as the signal is sent; each thread stops
 * when it next runs, and on a loaded machine a router's event loop served a webhook 74 ms after the kill (in a CI),
 * before the thread that takes the signal had run.
 */
public final class StopSignal {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private StopSignal() {
    }

    public static void stop(long pid) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
        if (exit != 0) {
            throw new AssertionError("kill -STOP " + pid + " exited " + exit);
        }
        long deadline = System.nanoTime() + BOUND.toNanos();
        List<String> running = running(pid);
        while (!running.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("threads of " + pid + " not stopped " + BOUND.toSeconds()
                        + " s after SIGSTOP (thread and state): " + running);
            }
            Thread.sleep(5);
            running = running(pid);
        }
    }

    /** Threads of {@code pid} not stopped, as "tid state". */
    private static List<String> running(long pid) throws IOException {
        List<String> running = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // a thread that ended meanwhile
                }
                char state = stat.charAt(stat.lastIndexOf(')') + 2);
                if (state != 'T' && state != 't') {
                    running.add(task.getFileName() + " " + state);
                }
            }
        }
        return running;
    }
}
