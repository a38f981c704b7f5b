package dev.botshift.schema.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live writers a DDL must not stall: short INSERTs into {@code busy}, each its own transaction, a pause apart,
 * recording how many went through, the slowest, and any that failed.
 */
final class BusyWriter {
    private final AtomicLong maxLatencyMs = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicBoolean writing = new AtomicBoolean(true);
    private final Thread thread;

    BusyWriter(String url, long pauseMs) {
        thread = new Thread(() -> {
            try (Connection c = PgFixture.connect(url);
                 PreparedStatement ps = c.prepareStatement("INSERT INTO busy (payload) VALUES ('x')")) {
                ps.executeUpdate(); // warm-up, not measured: the first execution pays for planning
                while (writing.get()) {
                    long t0 = System.nanoTime();
                    ps.executeUpdate();
                    maxLatencyMs.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                    writes.incrementAndGet();
                    Thread.sleep(pauseMs);
                }
            } catch (SQLException | InterruptedException e) {
                failures.add(e);
            }
        });
    }

    void start() {
        thread.start();
    }

    void stop() throws InterruptedException {
        writing.set(false);
        thread.join();
    }

    /** Enough writes (more than 50) have gone through to say the writers keep flowing. */
    boolean flowing() {
        return writes.get() > 50;
    }

    /** After {@link #stop()}: the writers kept flowing, none failed and none took {@code latencyLimitMs} or longer. */
    void assertKeptWriting(long latencyLimitMs) {
        assertThat(failures).isEmpty();
        assertThat(writes.get()).isGreaterThan(50);
        assertThat(maxLatencyMs.get()).as("longest insert, ms").isLessThan(latencyLimitMs);
    }
}
