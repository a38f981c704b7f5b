package dev.botshift.workload.local;

import dev.botshift.os.ProcessLife;
import dev.botshift.os.ProcessStart;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One running bot process, as recorded in {@code <slot>.json}.
 *
 * @param index      its place among the slot's replicas (0..n-1); a replacement takes the same place and log
 * @param pid        the process id
 * @param startedAt  the process's start time in epoch ms: a pid recycled by the OS for another process is not "ours"
 * @param startTicks its start in clock ticks since boot (Linux; null in records of older Botshift versions): exact
 *                   where the epoch time moves with the clock ({@link ProcessStart})
 * @param port       the port it was told to listen on ({@code PORT})
 * @param version    the release it runs ({@code BOT_VERSION})
 * @param log        where its stdout and stderr are appended
 */
record Instance(int index, long pid, Long startedAt, Long startTicks, int port, String version, String log) {

    boolean isAlive() {
        return handle().isPresent();
    }

    /** The live process, if it is still the one we started. */
    Optional<ProcessHandle> handle() {
        return ProcessLife.live(pid, new ProcessStart(startedAt, startTicks));
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    Path logFile() {
        return Path.of(log);
    }

    String describe() {
        return "#" + index + " (pid " + pid + ", port " + port + ")";
    }
}
