package dev.botshift.state.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Mutual exclusion for one app directory across threads AND processes: an OS lock on {@code .mutex}. The JVM refuses a
 * second {@link FileChannel#lock()} on the same file from another channel (OverlappingFileLockException), so threads of
 * one JVM first queue on an in-memory lock keyed by the file.
 */
final class AppMutex {
    private static final Map<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

    private AppMutex() {
    }

    static <T> T with(Path appDir, Supplier<T> action) {
        try {
            Files.createDirectories(appDir);
            Path file = appDir.resolve(".mutex").toAbsolutePath().normalize();
            ReentrantLock local = IN_JVM.computeIfAbsent(file, f -> new ReentrantLock());
            local.lock();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return action.get();
            } finally {
                local.unlock();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + appDir.resolve(".mutex"), e);
        }
    }
}
