package dev.botshift.traffic.polling;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Delivers updates one chat at a time, chats in parallel. Each chat has a lane (a queue); only its head is ever
 * being delivered, so a chat's updates reach the bots in the order the API gave them, and an update being retried
 * holds back the later ones of its chat but no other chat. A retry is scheduled, not slept, so a chat that waits
 * occupies no thread.
 */
final class ChatLanes {
    private static final Logger LOG = LoggerFactory.getLogger(ChatLanes.class);

    private final Delivery delivery;
    private final BridgeSettings settings;
    private final DeadLetters deadLetters;
    private final BridgeCounters counters;
    private final LongConsumer finished;
    private final Consumer<WebhookReply> replies;
    private final ScheduledThreadPoolExecutor pool;
    private final Map<String, ArrayDeque<TelegramUpdate>> lanes = new HashMap<>();

    /**
     * @param finished told the id of each update acknowledged or dead-lettered, before the next of its chat starts
     * @param replies  makes the Bot API call a bot's acknowledging answer asked for
     */
    ChatLanes(Delivery delivery, BridgeSettings settings, DeadLetters deadLetters, BridgeCounters counters,
              LongConsumer finished, Consumer<WebhookReply> replies) {
        this.delivery = delivery;
        this.settings = settings;
        this.deadLetters = deadLetters;
        this.counters = counters;
        this.finished = finished;
        this.replies = replies;
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ScheduledThreadPoolExecutor(settings.parallelism(), task -> {
            Thread thread = new Thread(task, "telegram-delivery-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // on close, a retry that has not started stays unfinished: the offset stays below it, the next run delivers it
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Queues {@code update} behind the earlier updates of {@code chat}. */
    synchronized void submit(String chat, TelegramUpdate update) {
        ArrayDeque<TelegramUpdate> lane = lanes.computeIfAbsent(chat, c -> new ArrayDeque<>());
        lane.add(update);
        if (lane.size() == 1) {
            schedule(chat, update, 1, Duration.ZERO);
        }
    }

    private void schedule(String chat, TelegramUpdate update, int attempt, Duration delay) {
        if (!pool.isShutdown()) {
            pool.schedule(() -> attempt(chat, update, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void attempt(String chat, TelegramUpdate update, int attempt) {
        String failure;
        try {
            Delivery.Answer answer = delivery.deliver(update);
            if (answer.acknowledged()) {
                counters.delivered.incrementAndGet();
                // before the chat's next update, as Telegram makes it before sending the next one
                answer.reply().ifPresent(replies);
                next(chat, update);
                return;
            }
            failure = "HTTP " + answer.status();
        } catch (NotRoutedException e) {
            counters.problem("update " + update.id() + " waits: " + e.getMessage());
            schedule(chat, update, attempt, settings.retryMax());
            return;
        } catch (IOException e) {
            failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // closing: the update stays unfinished and is delivered again by the next run
        }
        if (attempt >= settings.maxAttempts()) {
            try {
                deadLetters.write(update, chat, attempt, failure);
            } catch (RuntimeException e) {
                // not written is not finished: keep the update (and the offset below it) and try again later
                counters.problem("update " + update.id() + " could not be dead-lettered: " + e.getMessage());
                LOG.error("update {} could not be written to {}: {}", update.id(), deadLetters.file(), e.getMessage());
                schedule(chat, update, attempt, settings.retryMax());
                return;
            }
            counters.deadLettered.incrementAndGet();
            counters.problem("update " + update.id() + " dead-lettered after " + attempt + " attempts (" + failure + ")");
            LOG.warn("update {} of chat {} not acknowledged after {} attempts ({}): written to {}", update.id(), chat,
                    attempt, failure, deadLetters.file());
            next(chat, update);
            return;
        }
        counters.retries.incrementAndGet();
        schedule(chat, update, attempt + 1, settings.backoff(attempt));
    }

    private void next(String chat, TelegramUpdate done) {
        finished.accept(done.id());
        synchronized (this) {
            ArrayDeque<TelegramUpdate> lane = lanes.get(chat);
            lane.poll();
            if (lane.isEmpty()) {
                lanes.remove(chat);
            } else {
                schedule(chat, lane.peek(), 1, Duration.ZERO);
            }
        }
    }

    /** Stops starting attempts; waits up to {@code grace} for the running ones, then interrupts them. */
    void close(Duration grace) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
