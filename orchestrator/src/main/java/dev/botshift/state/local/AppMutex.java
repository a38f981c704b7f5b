package dev.botshift.state.local;

import dev.botshift.os.IoFailures;
import dev.botshift.os.PrivateDirectory;
import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
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

    /** Runs {@code action} holding the lock of {@code appDir} (inside the state directory {@code root}). */
    static <T> T with(Path root, Path appDir, Supplier<T> action) {
        PrivateDirectory.ensure(root, appDir);
        try {
            Path file = appDir.resolve(".mutex").toAbsolutePath().normalize();
            ReentrantLock local = IN_JVM.computeIfAbsent(file, f -> new ReentrantLock());
            local.lock();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
                 FileLock ignored = channel.lock()) {
                return action.get();
            } finally {
                local.unlock();
            }
        } catch (IOException e) {
            throw IoFailures.of("lock", appDir.resolve(".mutex"), e);
        }
    }
}
