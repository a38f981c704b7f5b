package dev.botshift.demo;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chat users of a polling bot, for {@code botshift demo --polling}: messages from many chats at a steady rate, queued
 * in the {@link FakeTelegramApi} for whoever polls it (the router's bridge). Unlike {@link ChatPlatform}, nothing here
 * delivers or redelivers: that is the bridge's job, which is what the demo shows.
 */
public final class PolledChats {
    private static final String[] TEXTS = {"I love this bot", "meh", "terrible answer", "good morning", "nice"};

    private final FakeTelegramApi api;
    private final int chats;
    private final Set<Long> sentIds = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "polled-chats");
        thread.setDaemon(true);
        return thread;
    });

    public PolledChats(FakeTelegramApi api, int chats) {
        this.api = api;
        this.chats = chats;
    }

    /** Starts sending {@code perSecond} messages a second. */
    public void start(int perSecond) {
        scheduler.scheduleAtFixedRate(() -> {
            long n = sequence.incrementAndGet();
            long id = api.message(1 + n % chats, TEXTS[(int) (n % TEXTS.length)] + " #" + n);
            if (id > 0) {
                sentIds.add(id);
            }
        }, 0, Math.max(1, 1_000_000 / perSecond), TimeUnit.MICROSECONDS);
    }

    /** Stops sending, then waits until the API holds nothing unconfirmed (or {@code timeout}); the ids sent. */
    public List<Long> stop(Duration timeout) throws InterruptedException {
        scheduler.shutdown();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (api.pending() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return List.copyOf(sentIds);
    }
}
