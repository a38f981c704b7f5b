package dev.botshift.traffic.router;

import dev.botshift.core.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import dev.botshift.os.PrivateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The router config as a JSON file (see {@link RouterConfigJson}). Writes go to a temporary file that is then
 * renamed over the old one ({@link PrivateFiles#replace}), so a reader never sees half a file. Changes by others are picked up by re-reading the
 * (small) file a few times a second and comparing bytes: simpler to reason about than a WatchService, blind to
 * mtime granularity, and it also works where the file is replaced through a symlink swap (Kubernetes volume mounts).
 * A file that fails to parse on reload is logged and ignored: the router keeps routing with the last good config.
 */
public final class FileRouterConfigSource implements RouterConfigSource {
    private static final Logger LOG = LoggerFactory.getLogger(FileRouterConfigSource.class);

    private final Path file;
    private final List<Consumer<RouterConfig>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller;
    private volatile RouterConfig current;
    private byte[] lastSeen;
    /** Reloads refused since start (unreadable or invalid file): the last good config stayed. */
    private int rejected;

    private FileRouterConfigSource(Path file, RouterConfig initial, byte[] seen, Duration pollEvery) {
        this.file = file;
        this.current = initial;
        this.lastSeen = seen;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "router-config-poll");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::poll, pollEvery.toMillis(), pollEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Opens {@code file}, creating it with {@link RouterConfig#initial()} when it does not exist. */
    public static FileRouterConfigSource open(Path file, Duration pollEvery) {
        Path absolute = file.toAbsolutePath();
        try {
            if (!Files.exists(absolute)) {
                writeAtomically(absolute, bytesOf(RouterConfig.initial()));
            }
            byte[] bytes = Files.readAllBytes(absolute);
            RouterConfig config = RouterConfigJson.parse(bytes, absolute.toString(), RouterConfig.initial());
            return new FileRouterConfigSource(absolute, config, bytes, pollEvery);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read router config file " + absolute + ": " + e.getMessage(), e);
        }
    }

    public static FileRouterConfigSource open(Path file) {
        return open(file, Duration.ofMillis(200));
    }

    public Path file() {
        return file;
    }

    @Override
    public RouterConfig current() {
        return current;
    }

    @Override
    public synchronized void store(RouterConfig config) {
        byte[] bytes = bytesOf(config);
        PrivateFiles.replace(file, bytes);
        lastSeen = bytes;
        current = config;
    }

    @Override
    public void onChange(Consumer<RouterConfig> listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }

    /** How many changed versions of the file were refused (the last good config kept routing). */
    public synchronized int rejected() {
        return rejected;
    }

    private synchronized void poll() {
        try {
            if (!Files.exists(file)) {
                return;
            }
            byte[] bytes = Files.readAllBytes(file);
            if (Arrays.equals(bytes, lastSeen)) {
                return;
            }
            lastSeen = bytes;
            RouterConfig config = RouterConfigJson.parse(bytes, file.toString(), RouterConfig.initial());
            if (!config.equals(current)) {
                current = config;
                listeners.forEach(listener -> listener.accept(config));
            }
        } catch (IOException | RuntimeException e) {
            rejected++;
            LOG.error("router config file {} not reloaded, keeping the last good config: {}", file, e.getMessage());
        }
    }

    private static byte[] bytesOf(RouterConfig config) {
        try {
            return RouterConfigJson.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(RouterConfigJson.toJson(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A random temp name, mode 0600, renamed over the target (never written through a link). */
    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(target.getParent());
        PrivateFiles.replace(target, bytes);
    }
}
