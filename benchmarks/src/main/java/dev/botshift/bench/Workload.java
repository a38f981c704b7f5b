package dev.botshift.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bot-shaped live workload at a fixed rate: inserts (like the sample bot's), updates of random rows and reads by
 * id, each measured from its scheduled start (so a stalled request also delays the ones queued behind it, as users
 * would see it). {@link #v2Writes} switches inserts to release 2's columns, as the rollout does before contract.
 */
final class Workload implements AutoCloseable {
    record Sample(long startNanos, long latencyNanos, boolean write, boolean failed) {
    }

    private final String url;
    private final long maxId;
    private final double rate;
    private final ExecutorService pool = Executors.newFixedThreadPool(16);
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong nextUpdateId;
    private final ThreadLocal<Connection> connections;
    private final List<Connection> opened = new ArrayList<>();
    private volatile boolean v2;
    private final Thread scheduler;

    Workload(String url, long maxId, double rate) {
        this.url = url;
        this.maxId = maxId;
        this.rate = rate;
        this.nextUpdateId = new AtomicLong(maxId + 1_000_000);
        this.connections = ThreadLocal.withInitial(this::open);
        this.scheduler = new Thread(this::schedule, "workload");
        scheduler.start();
    }

    void v2Writes() {
        v2 = true;
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    private Connection open() {
        try {
            Connection c = DriverManager.getConnection(url, "postgres", null);
            synchronized (opened) {
                opened.add(c);
            }
            return c;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void schedule() {
        long start = System.nanoTime();
        long periodNanos = (long) (1e9 / rate);
        for (long i = 0; running.get(); i++) {
            long due = start + i * periodNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
            long kind = i % 4; // 2 inserts : 1 update : 1 read
            pool.execute(() -> request(due, kind));
        }
    }

    private void request(long due, long kind) {
        boolean failed = false;
        try {
            Connection c = connections.get();
            ThreadLocalRandom r = ThreadLocalRandom.current();
            if (kind <= 1) {
                String sql = v2
                        ? "INSERT INTO user_interactions (update_id, chat_id, user_id, message_text, bot_version, "
                        + "sentiment_score, detailed_log) VALUES (?, ?, ?, 'hello there', '2.0.0', 0.5, '{}'::jsonb)"
                        : "INSERT INTO user_interactions (update_id, chat_id, user_id, message_text, bot_version) "
                        + "VALUES (?, ?, ?, 'hello there', '1.0.0')";
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, nextUpdateId.incrementAndGet());
                    ps.setLong(2, r.nextLong(1, 10_000));
                    ps.setLong(3, r.nextLong(1, 10_000));
                    ps.executeUpdate();
                }
            } else if (kind == 2) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE user_interactions SET message_text = 'edited' WHERE id = ?")) {
                    ps.setLong(1, r.nextLong(1, maxId + 1));
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("SELECT message_text FROM user_interactions WHERE id = ?")) {
                    ps.setLong(1, r.nextLong(1, maxId + 1));
                    ps.executeQuery().close();
                }
            }
        } catch (SQLException | RuntimeException e) {
            failed = true;
        }
        samples.add(new Sample(due, System.nanoTime() - due, kind <= 2, failed));
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        scheduler.interrupt();
        scheduler.join();
        pool.shutdown();
        pool.awaitTermination(60, TimeUnit.SECONDS);
        synchronized (opened) {
            for (Connection c : opened) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
