package dev.botshift.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A chat platform delivering to one webhook URL, the way Telegram and Slack do: many chats, a steady total rate,
 * a new update id per message, per-chat order (a chat sends its next message only after the previous one was
 * acknowledged with 2xx), and redelivery with the same update id until acknowledged. Botshift's demo and end-to-end
 * tests drive a rollout with it and then ask the bot's database whether anything was lost or stored twice.
 */
public final class ChatPlatform {

    /** What Telegram sends back when a webhook was set with a {@code secret_token}. */
    public static final String SECRET_TOKEN_HEADER = "X-Telegram-Bot-Api-Secret-Token";

    /** The response header a Botshift router or the sample bot uses to say which colour answered. */
    public static final String SLOT_HEADER = "X-Botshift-Slot";
    static final String UNKNOWN_COLOUR = "unknown";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TICK_MILLIS = 5;
    private static final String[] TEXTS = {
        "I love this bot", "this is great, thanks", "meh", "terrible answer", "good morning",
        "the app is slow today", "happy to help", "what time is it", "awful weather", "nice"};

    private final URI webhook;
    private final double rate;
    private final Duration backoff;
    private final Duration deliveryTimeout;
    private final List<ChatState> chats;
    private final Queue<ChatState> idle = new ConcurrentLinkedQueue<>();
    private final Map<Long, ChatState> unacknowledged = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> byColour = new ConcurrentHashMap<>();
    private final ChatSegments segments = new ChatSegments();
    private final AtomicLong nextUpdateId;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong redeliveries = new AtomicLong();
    private final AtomicLong failedDeliveries = new AtomicLong();
    private final AtomicInteger awaitingAnswer = new AtomicInteger();
    private final Map<String, AtomicLong> failureCauses = new ConcurrentHashMap<>();
    private final Set<Long> sentIds = ConcurrentHashMap.newKeySet();
    private final Set<Long> acknowledgedIds = ConcurrentHashMap.newKeySet();
    private final HttpClient http;
    private final String secretToken;
    private final ScheduledExecutorService scheduler;
    private volatile boolean sending;
    private volatile boolean closed;
    private long startedNanos;
    private volatile long stoppedNanos;
    private long issued;

    private ChatPlatform(Builder builder) {
        this.webhook = builder.webhook;
        this.secretToken = builder.secretToken;
        this.rate = builder.rate;
        this.backoff = builder.redeliveryBackoff;
        this.deliveryTimeout = builder.deliveryTimeout;
        this.nextUpdateId = new AtomicLong(builder.firstUpdateId);
        List<ChatState> all = new ArrayList<>();
        for (int i = 0; i < builder.chats; i++) {
            all.add(new ChatState(builder.firstChatId + i, 7_000_000L + i));
        }
        this.chats = List.copyOf(all);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(deliveryTimeout)
                .build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "chat-platform");
            thread.setDaemon(true);
            return thread;
        });
    }

    public static Builder builder(URI webhook) {
        return new Builder(webhook);
    }

    /** Starts sending; returns at once. */
    public synchronized void start() {
        if (sending || closed) {
            throw new IllegalStateException("a chat platform starts once");
        }
        sending = true;
        idle.addAll(chats);
        startedNanos = System.nanoTime();
        scheduler.scheduleAtFixedRate(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Starts a new named segment of the run: colour switches are counted per segment. */
    public void mark(String segment) {
        segments.mark(segment);
    }

    /**
     * Stops sending new messages, then keeps redelivering unacknowledged ones until all are acknowledged or
     * {@code drainTimeout} has passed. Returns the final statistics.
     */
    public ChatStats stop(Duration drainTimeout) throws InterruptedException {
        synchronized (this) {
            if (sending) {
                sending = false;
                stoppedNanos = System.nanoTime();
            }
        }
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (!unacknowledged.isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        closed = true;
        scheduler.shutdownNow();
        return stats();
    }

    /**
     * Webhooks sent and not answered yet, at this instant: the most a bot can have read and not answered (a test
     * bounds by it what a bot killed now may cost).
     */
    public int awaitingAnswer() {
        return awaitingAnswer.get();
    }

    public ChatStats stats() {
        long end = sending || stoppedNanos == 0 ? System.nanoTime() : stoppedNanos;
        Map<String, Long> slots = new TreeMap<>();
        byColour.forEach((slot, count) -> slots.put(slot, count.get()));
        Map<String, Long> causes = new TreeMap<>();
        failureCauses.forEach((cause, count) -> causes.put(cause, count.get()));
        return new ChatStats(sentIds.size(), acknowledged.get(), redeliveries.get(), failedDeliveries.get(),
                Collections.unmodifiableMap(causes),
                Collections.unmodifiableMap(segments.maxPerSegment()), Collections.unmodifiableMap(slots),
                Collections.unmodifiableSortedSet(new TreeSet<>(sentIds)),
                Collections.unmodifiableSortedSet(new TreeSet<>(acknowledgedIds)),
                Duration.ofNanos(startedNanos == 0 ? 0 : end - startedNanos));
    }

    /** Compares what was sent with what the bot stored in {@code user_interactions}. */
    public ChatLedger verify(Connection connection) throws SQLException {
        return ChatLedger.of(stats().sentIds(), connection);
    }

    /** Issues as many new messages as the rate allows by now, each to an idle chat. */
    private void tick() {
        if (!sending) {
            return;
        }
        long due = (long) ((System.nanoTime() - startedNanos) / 1e9 * rate);
        // When every chat waits for an acknowledgement the backlog may not grow without bound: a recovering
        // webhook gets at most one message per chat at once, as from a real platform.
        issued = Math.max(issued, due - chats.size());
        while (issued < due) {
            ChatState chat = idle.poll();
            if (chat == null) {
                return;
            }
            issued++;
            long updateId = nextUpdateId.getAndIncrement();
            sentIds.add(updateId);
            unacknowledged.put(updateId, chat);
            deliver(chat, updateId, body(chat, updateId));
        }
    }

    private void deliver(ChatState chat, long updateId, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(webhook)
                .timeout(deliveryTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (secretToken != null) {
            builder.header(SECRET_TOKEN_HEADER, secretToken);
        }
        HttpRequest request = builder.build();
        awaitingAnswer.incrementAndGet();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, error) -> {
                    awaitingAnswer.decrementAndGet();
                    if (error == null && response.statusCode() / 100 == 2) {
                        acknowledge(chat, updateId, colourOf(response));
                    } else {
                        failureCauses.computeIfAbsent(DeliveryFailure.cause(response, error), c -> new AtomicLong())
                                .incrementAndGet();
                        redeliverLater(chat, updateId, body);
                    }
                });
    }

    private void acknowledge(ChatState chat, long updateId, String slot) {
        if (closed || unacknowledged.remove(updateId) == null) {
            return;
        }
        acknowledged.incrementAndGet();
        acknowledgedIds.add(updateId);
        byColour.computeIfAbsent(slot == null ? UNKNOWN_COLOUR : slot, c -> new AtomicLong()).incrementAndGet();
        if (chat.acknowledgedBy(slot)) {
            segments.switched(chat.chatId);
        }
        idle.add(chat);
    }

    private void redeliverLater(ChatState chat, long updateId, String body) {
        failedDeliveries.incrementAndGet();
        if (closed) {
            return;
        }
        try {
            scheduler.schedule(() -> {
                if (!closed) {
                    redeliveries.incrementAndGet();
                    deliver(chat, updateId, body);
                }
            }, backoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stop() closed the platform between the check above and now: the update stays unacknowledged.
        }
    }

    private String body(ChatState chat, long updateId) {
        int messageId = chat.nextMessageId();
        ObjectNode update = JSON.createObjectNode().put("update_id", updateId);
        ObjectNode message = update.putObject("message").put("message_id", messageId);
        message.putObject("chat").put("id", chat.chatId);
        message.putObject("from").put("id", chat.userId);
        message.put("text", TEXTS[(int) ((chat.chatId + messageId) % TEXTS.length)]);
        return update.toString();
    }

    /** The header names the colour; a bot reached directly names it in its JSON answer. */
    static String colourOf(HttpResponse<String> response) {
        String header = response.headers().firstValue(SLOT_HEADER).orElse(null);
        if (header != null && !header.isBlank()) {
            return header.trim();
        }
        try {
            JsonNode slot = JSON.readTree(response.body()).path("colour");
            return slot.isTextual() ? slot.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Settings of a chat platform; defaults suit the demo. */
    public static final class Builder {
        private final URI webhook;
        private int chats = 60;
        private double rate = 120;
        private Duration redeliveryBackoff = Duration.ofMillis(200);
        private Duration deliveryTimeout = Duration.ofSeconds(5);
        private long firstUpdateId = System.currentTimeMillis() * 1000;
        private long firstChatId = 1000;
        private String secretToken;

        private Builder(URI webhook) {
            if (webhook == null) {
                throw new IllegalArgumentException("webhook URL is required");
            }
            this.webhook = webhook;
        }

        public Builder chats(int chats) {
            if (chats < 1) {
                throw new IllegalArgumentException("chats must be at least 1, got " + chats);
            }
            this.chats = chats;
            return this;
        }

        /** Total new messages per second over all chats. */
        public Builder rate(double messagesPerSecond) {
            if (!(messagesPerSecond > 0)) {
                throw new IllegalArgumentException("rate must be positive, got " + messagesPerSecond);
            }
            this.rate = messagesPerSecond;
            return this;
        }

        public Builder redeliveryBackoff(Duration backoff) {
            if (backoff.isNegative()) {
                throw new IllegalArgumentException("redelivery backoff must not be negative");
            }
            this.redeliveryBackoff = backoff;
            return this;
        }

        /** How long one delivery may take before it counts as failed (and is redelivered). */
        public Builder deliveryTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("delivery timeout must be positive");
            }
            this.deliveryTimeout = timeout;
            return this;
        }

        /**
         * The first update id; later ones count up. The default derives from the clock, so runs against the same
         * database do not reuse ids (a reused id would be taken for a redelivery and silently not stored).
         */
        public Builder firstUpdateId(long firstUpdateId) {
            this.firstUpdateId = firstUpdateId;
            return this;
        }

        public Builder firstChatId(long firstChatId) {
            this.firstChatId = firstChatId;
            return this;
        }

        /** Send Telegram's {@code X-Telegram-Bot-Api-Secret-Token} with every update, as {@code setWebhook secret_token} asks. */
        public Builder secretToken(String token) {
            this.secretToken = token;
            return this;
        }

        public ChatPlatform build() {
            return new ChatPlatform(this);
        }
    }
}
