package dev.botshift.bench;

import dev.botshift.demo.ChatPlatform;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Part 10's junk: {@code rate} invalid webhook requests a second POSTed to the router beside the chat platform's
 * updates, alternately a well-formed update with a wrong secret token (forged: refused by the router's verification)
 * and an unparseable body with the right token (malformed: routed, answered 4xx by the bot, counted as invalid).
 * One thread issues them on schedule, asynchronously, with at most {@link #IN_FLIGHT} unanswered at once (a router
 * that slows down gets less than the rate, not an unbounded queue: the achieved rate is reported), until
 * {@link #stop}. It replaced a closed loop (32 senders, each waiting for its answer), where a slow answer also
 * delayed the next request; the rate reached is the rig's, not the generator's (docs/benchmarks.md, part 10).
 */
final class ForgedLoad implements AutoCloseable {
    static final int IN_FLIGHT = 256;

    private final URI webhook;
    private final String secret;
    private final double rate;
    private final HttpClient http;
    private final ExecutorService issuer = Executors.newSingleThreadExecutor();
    private final java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(IN_FLIGHT);
    private final AtomicLong sent = new AtomicLong();
    private final Map<String, AtomicLong> answers = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean running;
    private long startNanos;
    private long stopNanos;

    ForgedLoad(URI webhook, String secret, double rate) {
        this.webhook = webhook;
        this.secret = secret;
        this.rate = rate;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    void start() {
        running = true;
        startNanos = System.nanoTime();
        issuer.submit(this::issue);
    }

    private Void issue() throws InterruptedException {
        long period = Math.round(1e9 / rate);
        for (long k = 0; running; k++) {
            long wait = startNanos + k * period - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (!slots.tryAcquire(1, TimeUnit.SECONDS)) {
                continue; // IN_FLIGHT unanswered: this one is skipped, and the achieved rate shows it
            }
            long n = sent.incrementAndGet();
            http.sendAsync(request(n), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                String key = error == null ? String.valueOf(response.statusCode()) : "no answer";
                answers.computeIfAbsent(key, x -> new AtomicLong()).incrementAndGet();
                slots.release();
            });
        }
        return null;
    }

    private HttpRequest request(long n) {
        HttpRequest.Builder b = HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json");
        if (n % 2 == 0) { // forged: a plausible update, but not from the platform
            long chat = 1_000_000 + n % 500;
            return b.header(ChatPlatform.SECRET_TOKEN_HEADER, "forged-" + n % 7)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"update_id\":" + (9_000_000_000L + n)
                            + ",\"message\":{\"message_id\":" + n + ",\"chat\":{\"id\":" + chat + ",\"type\":\"private\"},"
                            + "\"text\":\"forged\"}}")).build();
        }
        return b.header(ChatPlatform.SECRET_TOKEN_HEADER, secret) // malformed: verified, but no update in it
                .POST(HttpRequest.BodyPublishers.ofString("{\"update_id\": " + n + ", \"message\": {")).build();
    }

    /** Stops sending and waits (10 s at most) for the answers still due. */
    void stop() throws InterruptedException {
        running = false;
        stopNanos = System.nanoTime();
        issuer.shutdown();
        issuer.awaitTermination(10, TimeUnit.SECONDS);
        if (slots.tryAcquire(IN_FLIGHT, 10, TimeUnit.SECONDS)) {
            slots.release(IN_FLIGHT);
        }
    }

    long sent() {
        return sent.get();
    }

    double achievedRate() {
        return sent.get() / ((stopNanos - startNanos) / 1e9);
    }

    /** Answers by HTTP status ("no answer" for a connection error or timeout). */
    Map<String, Long> answers() {
        Map<String, Long> out = new TreeMap<>();
        answers.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        issuer.shutdownNow();
        issuer.awaitTermination(10, TimeUnit.SECONDS);
    }
}
