package dev.botshift.demo;

import static dev.botshift.demo.BotApiWire.JSON;
import static dev.botshift.demo.BotApiWire.error;
import static dev.botshift.demo.BotApiWire.ok;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.botshift.os.JdkHttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A fake Telegram Bot API for tests and {@code botshift demo --polling}, with the semantics the bridge depends on (as documented for
 * {@code getUpdates}, {@code setWebhook}, {@code deleteWebhook}):
 * <ul>
 *   <li>{@code getUpdates}: calling it with {@code offset} confirms (forgets) every update whose id is below it;
 *   without one it returns from the earliest unconfirmed update; a negative offset keeps only the last -offset ones.
 *   With {@code timeout} > 0 and nothing to return it holds the request until an update arrives or the timeout ends
 *   (long poll). {@code allowed_updates}, when given, replaces the stored filter; updates of other types that arrive
 *   afterwards are never stored (as on the real API, the filter does not touch updates already queued).</li>
 *   <li>One consumer at a time: a {@code getUpdates} that arrives while another is held terminates the held one with
 *   {@code 409 Conflict: terminated by other getUpdates request} (counted in {@link #conflicts()}).</li>
 *   <li>While a webhook is set, {@code getUpdates} answers 409 ({@code can't use getUpdates method while webhook is
 *   active}); {@code deleteWebhook} keeps the pending updates unless {@code drop_pending_updates} is true.</li>
 *   <li>{@code sendMessage} is recorded; {@code getMe} answers a bot; a wrong token gets 401 on every method.</li>
 * </ul>
 * Parameters are read from the query string and from a JSON or form body, like the real API ({@link BotApiWire}).
 */
public final class FakeTelegramApi implements AutoCloseable {
    public static final String TERMINATED = "Conflict: terminated by other getUpdates request; make sure that only one"
            + " bot instance is running";
    public static final String WEBHOOK_ACTIVE = "Conflict: can't use getUpdates method while webhook is active; use"
            + " deleteWebhook to delete the webhook first";

    /** A message the bot sent through {@code sendMessage}. */
    public record Sent(String chatId, String text) {
    }

    private final String token;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final TreeMap<Long, ObjectNode> queue = new TreeMap<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    /** Requests received, any path (a count: the fake runs as long as a demo, and anyone on the machine may call it). */
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, Integer> calls = new ConcurrentHashMap<>();
    private long nextUpdateId;
    private long heldPoll;        // the generation of the getUpdates being held, 0 when none
    private long pollGeneration;
    private int conflicts;
    private List<String> allowedUpdates = List.of();
    private final FakeWebhook webhook = new FakeWebhook();
    private final Map<String, String> refusing = new ConcurrentHashMap<>();
    private int messageIds;
    private int pollsInFlight;
    private long idleSince;       // System.nanoTime() when the last getUpdates in flight returned; 0 before the first
    private long maxGapNanos;
    private java.time.Instant maxGapEnded;

    public FakeTelegramApi(String token) {
        this(token, 1);
    }

    /** @param firstUpdateId the first update's id: two fake APIs feeding one database keep their ids apart */
    public FakeTelegramApi(String token, long firstUpdateId) {
        this.token = token;
        this.nextUpdateId = firstUpdateId;
        try {
            server = JdkHttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL to configure the bridge with ({@code traffic.polling.apiUrl}). */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Queues a text message from {@code chatId}; returns its update id. */
    public long message(long chatId, String text) {
        ObjectNode message = JSON.createObjectNode();
        message.put("message_id", chatId * 1_000_000 + nextUpdateId).put("date", System.currentTimeMillis() / 1000)
                .put("text", text);
        message.putObject("chat").put("id", chatId).put("type", "private");
        message.putObject("from").put("id", chatId).put("is_bot", false).put("first_name", "user" + chatId);
        return inject("message", message);
    }

    /** Queues an update of {@code type} with {@code body}; returns its id, or -1 when the filter drops it. */
    public synchronized long inject(String type, JsonNode body) {
        long id = nextUpdateId++;
        if (!allowedUpdates.isEmpty() && !allowedUpdates.contains(type)) {
            return -1;
        }
        ObjectNode update = JSON.createObjectNode().put("update_id", id);
        update.set(type, body);
        queue.put(id, update);
        notifyAll();
        return id;
    }

    /** 409s sent to consumers terminated by another one (and to getUpdates while a webhook was set). */
    public synchronized int conflicts() {
        return conflicts;
    }

    /** Whether a long {@code getUpdates} is being held right now, waiting for an update (the benchmark reports it). */
    public synchronized boolean pollHeld() {
        return heldPoll != 0;
    }

    /**
     * The longest time, since the first {@code getUpdates}, that no {@code getUpdates} was in flight: between one
     * poll's answer and the next poll's arrival, whoever sent them. For a bot that polls itself this includes the time
     * it handles a batch between polls; in a handover it is the time from blue's last poll to green's first.
     */
    public synchronized double maxGapSeconds() {
        return maxGapNanos / 1e9;
    }

    /** When the longest gap ended (the poll that ended it arrived), or null before there was one. */
    public synchronized java.time.Instant maxGapEnded() {
        return maxGapEnded;
    }

    /** Updates neither confirmed nor dropped yet. */
    public synchronized int pending() {
        return queue.size();
    }

    /** The lowest unconfirmed update id, or the next id to come when none is pending. */
    public synchronized long firstUnconfirmed() {
        return queue.isEmpty() ? nextUpdateId : queue.firstKey();
    }

    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** How many requests arrived, on any path. */
    public long requests() {
        return requests.get();
    }

    public int calls(String method) {
        return calls.getOrDefault(method, 0);
    }

    /** The {@code allowed_updates} filter in force (empty: all types). */
    public synchronized List<String> allowedUpdates() {
        return List.copyOf(allowedUpdates);
    }

    public synchronized String webhookUrl() {
        return webhook.url();
    }

    public synchronized String webhookSecret() {
        return webhook.secret();
    }

    /** The webhook's {@code max_connections} as last set, or null. */
    public synchronized Integer webhookMaxConnections() {
        return webhook.maxConnections();
    }

    /** Answers every later call of {@code method} with 400 and {@code description}; null: serves it again. */
    public void refuse(String method, String description) {
        if (description == null) {
            refusing.remove(method);
        } else {
            refusing.put(method, description);
        }
    }

    /** Makes {@code getWebhookInfo} report a failed delivery, as Telegram words it. */
    public synchronized void lastWebhookError(String message) {
        webhook.lastError(message);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            String[] parts = exchange.getRequestURI().getPath().split("/");
            if (parts.length != 3 || !parts[1].equals("bot" + token)) {
                BotApiWire.reply(exchange, error(401, "Unauthorized"));
                return;
            }
            String method = parts[2];
            calls.merge(method, 1, Integer::sum);
            Map<String, JsonNode> params = BotApiWire.params(exchange);
            if (params == null) {
                BotApiWire.reply(exchange, error(413, "Request Entity Too Large"));
                return;
            }
            String refusal = refusing.get(method);
            ObjectNode answer = refusal != null ? error(400, refusal) : switch (method) {
                case "getUpdates" -> getUpdates(params);
                case "setWebhook" -> setWebhook(params);
                case "deleteWebhook" -> deleteWebhook(params);
                case "getWebhookInfo" -> webhookInfo();
                case "sendMessage" -> sendMessage(params);
                case "getMe" -> ok(JSON.createObjectNode().put("id", botId()).put("is_bot", true)
                        .put("first_name", "Fake").put("username", "fake_bot"));
                default -> error(404, "Not Found");
            };
            BotApiWire.reply(exchange, answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts the call as in flight while it runs: the gap between consumers is measured here, not by them. */
    private synchronized ObjectNode getUpdates(Map<String, JsonNode> p) throws InterruptedException {
        long now = System.nanoTime();
        if (pollsInFlight == 0 && idleSince != 0 && now - idleSince > maxGapNanos) {
            maxGapNanos = now - idleSince;
            maxGapEnded = java.time.Instant.now();
        }
        pollsInFlight++;
        try {
            return poll(p);
        } finally {
            if (--pollsInFlight == 0) {
                idleSince = System.nanoTime();
            }
        }
    }

    private ObjectNode poll(Map<String, JsonNode> p) throws InterruptedException {
        if (webhook.active()) {
            conflicts++;
            return error(409, WEBHOOK_ACTIVE);
        }
        long generation = ++pollGeneration;
        if (heldPoll != 0) {
            // the real API answers the older request with 409 and serves the newer one
            heldPoll = 0;
            notifyAll();
        }
        if (p.containsKey("allowed_updates")) {
            allowedUpdates = new ArrayList<>();
            BotApiWire.json(p.get("allowed_updates")).forEach(t -> allowedUpdates.add(t.asText()));
        }
        if (p.containsKey("offset")) {
            long offset = p.get("offset").asLong();
            if (offset < 0) {
                while (queue.size() > -offset) {
                    queue.pollFirstEntry();
                }
            } else {
                queue.headMap(offset).clear();
            }
        }
        int limit = p.containsKey("limit") ? Math.max(1, Math.min(100, p.get("limit").asInt())) : 100;
        long timeoutMillis = p.containsKey("timeout") ? p.get("timeout").asLong() * 1000 : 0;
        long deadline = System.currentTimeMillis() + timeoutMillis;
        heldPoll = generation;
        while (queue.isEmpty() && System.currentTimeMillis() < deadline) {
            wait(Math.max(1, deadline - System.currentTimeMillis()));
            if (heldPoll != generation) {
                conflicts++;
                return error(409, TERMINATED);
            }
        }
        if (heldPoll == generation) {
            heldPoll = 0;
        }
        ArrayNode result = JSON.createArrayNode();
        Iterator<ObjectNode> updates = queue.values().iterator();
        while (updates.hasNext() && result.size() < limit) {
            result.add(updates.next().deepCopy());
        }
        return ok(result);
    }

    private synchronized ObjectNode setWebhook(Map<String, JsonNode> p) {
        webhook.set(p);
        dropPendingIfAsked(p);
        notifyAll();
        return BotApiWire.done("Webhook was set");
    }

    private synchronized ObjectNode deleteWebhook(Map<String, JsonNode> p) {
        webhook.delete();
        dropPendingIfAsked(p);
        return BotApiWire.done("Webhook was deleted");
    }

    private void dropPendingIfAsked(Map<String, JsonNode> p) {
        if (p.containsKey("drop_pending_updates") && p.get("drop_pending_updates").asBoolean()) {
            queue.clear();
        }
    }

    private synchronized ObjectNode webhookInfo() {
        return ok(webhook.info(queue.size()));
    }

    private ObjectNode sendMessage(Map<String, JsonNode> p) {
        if (!p.containsKey("chat_id") || !p.containsKey("text")) {
            return error(400, "Bad Request: chat_id and text are required");
        }
        sent.add(new Sent(p.get("chat_id").asText(), p.get("text").asText()));
        ObjectNode message = JSON.createObjectNode();
        synchronized (this) {
            message.put("message_id", ++messageIds);
        }
        message.putObject("chat").put("id", p.get("chat_id").asText());
        message.put("text", p.get("text").asText());
        return ok(message);
    }

    /** The token's public part, the bot's id (0 for a test token without one). */
    private long botId() {
        String id = token.split(":", 2)[0];
        return id.matches("\\d{1,18}") ? Long.parseLong(id) : 0;
    }

    @Override
    public void close() {
        synchronized (this) {
            heldPoll = 0;
            notifyAll();
        }
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
