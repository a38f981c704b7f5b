package dev.botshift.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.demo.FakeTelegramApi;
import dev.botshift.os.ChildEnvironment;
import dev.botshift.os.CleanUpOnSignal;
import dev.botshift.os.JdkHttpServer;
import dev.botshift.traffic.router.BotshiftRouterClient;
import dev.botshift.traffic.router.RouterConfigJson;
import dev.botshift.traffic.router.RouterProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Part 7: the polling bridge's added latency (docs/polling.md). A fake Bot API ({@link FakeTelegramApi}) and a small
 * webhook bot in this process, the real router process polling the fake API ({@code botshift router
 * --poll-token-env}) and delivering to the bot through its own webhook port. Two streams side by side, each at
 * {@code rate} updates/s over {@code chats} chats, for the same seconds and to the same bot: <b>bridge</b>, an update
 * queued in the API (mostly while the router's long poll waits there), timed from just before it is queued to the
 * moment the bot's handler sees it; <b>direct</b>, the same kind of update POSTed straight to the bot's webhook (what a
 * webhook from the platform costs), timed from just before the POST to the same moment. Both clocks are this JVM's,
 * so no clock skew enters. The first seconds (connections, JIT) are sent but not counted.
 */
final class BridgeLatency {
    private static final String TOKEN = "4242:bench-bridge_token";
    private static final long DIRECT_IDS = 1_000_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(long[] bridgeMicros, long[] directMicros, int bridgeMissing, int directMissing, int queuedWhilePolled,
                  int queued) {
        double addedMs(double q) {
            return (Stats.percentile(bridgeMicros, q) - Stats.percentile(directMicros, q)) / 1000.0;
        }

        double ratio(double q) {
            long direct = Stats.percentile(directMicros, q);
            return direct == 0 ? Double.NaN : (double) Stats.percentile(bridgeMicros, q) / direct;
        }
    }

    private final double rate;
    private final int chats;
    private final Duration warmup;
    private final Duration measured;

    BridgeLatency(double rate, int chats, Duration warmup, Duration measured) {
        this.rate = rate;
        this.chats = chats;
        this.warmup = warmup;
        this.measured = measured;
    }

    Result run() throws IOException, InterruptedException {
        Path state = Files.createTempDirectory("botshift-bench-bridge-");
        Map<Long, Long> received = new ConcurrentHashMap<>();
        HttpServer bot = receiptBot(received);
        RouterProcess router = null;
        try (FakeTelegramApi api = new FakeTelegramApi(TOKEN)) {
            router = startRouter(state, api);
            BotshiftRouterClient client = router.client();
            client.update(RouterConfigJson.toJson(client.config().withStickyBy("$.message.chat.id")));
            client.setBackends(Slot.A, List.of(URI.create("http://127.0.0.1:" + bot.getAddress().getPort())));
            client.setWeights(Weights.allTo(Slot.A));
            return drive(api, URI.create("http://127.0.0.1:" + bot.getAddress().getPort() + "/webhook"), received);
        } finally {
            CleanUpOnSignal.beforeCleanUp();
            if (router != null) {
                router.stop();
            }
            bot.stop(0);
            ((ExecutorService) bot.getExecutor()).shutdownNow();
            try (var walk = Files.walk(state)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Sends both streams for warmup + measured seconds, then waits (10 s at most) for the last deliveries. */
    private Result drive(FakeTelegramApi api, URI direct, Map<Long, Long> received) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Map<Long, Long> queuedAt = new ConcurrentHashMap<>();
        Map<Long, Long> sentAt = new ConcurrentHashMap<>();
        AtomicLong tick = new AtomicLong();
        AtomicInteger whilePolled = new AtomicInteger();
        long period = Math.round(1e9 / rate);
        long total = Math.round((warmup.toNanos() + measured.toNanos()) / (double) period);
        long firstCounted = Math.round(warmup.toNanos() / (double) period);
        ScheduledExecutorService sender = Executors.newScheduledThreadPool(2);
        // the two streams half a period apart, so neither always lands at the same moment as the other
        sender.scheduleAtFixedRate(() -> {
            long n = tick.incrementAndGet();
            if (n > total) {
                return;
            }
            boolean polled = api.pollHeld();
            long t0 = System.nanoTime();
            long id = api.message(1 + n % chats, "bridge " + n);
            if (n > firstCounted) {
                queuedAt.put(id, t0);
                if (polled) {
                    whilePolled.incrementAndGet();
                }
            }
        }, 0, period, TimeUnit.NANOSECONDS);
        AtomicLong directTick = new AtomicLong();
        sender.scheduleAtFixedRate(() -> {
            long n = directTick.incrementAndGet();
            if (n > total) {
                return;
            }
            long id = DIRECT_IDS + n;
            long chat = 1 + n % chats;
            String body = "{\"update_id\":" + id + ",\"message\":{\"message_id\":" + n + ",\"chat\":{\"id\":" + chat
                    + ",\"type\":\"private\"},\"from\":{\"id\":" + chat + "},\"text\":\"direct " + n + "\"}}";
            HttpRequest request = HttpRequest.newBuilder(direct).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            long t0 = System.nanoTime();
            if (n > firstCounted) {
                sentAt.put(id, t0);
            }
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        }, period / 2, period, TimeUnit.NANOSECONDS);
        long end = System.nanoTime() + warmup.toNanos() + measured.toNanos() + period;
        Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && !(received.keySet().containsAll(queuedAt.keySet())
                && received.keySet().containsAll(sentAt.keySet()))) {
            Thread.sleep(50);
        }
        sender.shutdownNow();
        sender.awaitTermination(5, TimeUnit.SECONDS);
        long[][] bridge = latencies(queuedAt, received);
        long[][] viaPost = latencies(sentAt, received);
        return new Result(bridge[0], viaPost[0], (int) bridge[1][0], (int) viaPost[1][0], whilePolled.get(),
                queuedAt.size());
    }

    /** Sorted microseconds from start to receipt, and how many never arrived. */
    private static long[][] latencies(Map<Long, Long> start, Map<Long, Long> received) {
        long[] micros = new long[start.size()];
        int n = 0;
        int missing = 0;
        for (Map.Entry<Long, Long> e : start.entrySet()) {
            Long at = received.get(e.getKey());
            if (at == null) {
                missing++;
            } else {
                micros[n++] = Math.max(0, (at - e.getValue()) / 1000);
            }
        }
        long[] sorted = Arrays.copyOf(micros, n);
        Arrays.sort(sorted);
        return new long[][] {sorted, {missing}};
    }

    /** A webhook bot that notes when its handler first sees each update id, and answers 200. */
    private static HttpServer receiptBot(Map<Long, Long> received) throws IOException {
        HttpServer server = JdkHttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/webhook", exchange -> {
            try (exchange) {
                long at = System.nanoTime();
                long id = JSON.readTree(exchange.getRequestBody().readAllBytes()).path("update_id").asLong();
                received.putIfAbsent(id, at);
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.createContext("/health", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
        return server;
    }

    private static RouterProcess startRouter(Path state, FakeTelegramApi api) {
        // the defaults of a plan's traffic.polling but a 25 s long poll: the API wakes it when an update arrives
        RouterProcess.Polling polling = new RouterProcess.Polling("BOT_TOKEN", api.baseUrl().toString(), "/webhook",
                null, Duration.ofSeconds(25), 8, null);
        ChildEnvironment env = ChildEnvironment.minimal(System.getenv()).with("BOT_TOKEN", TOKEN);
        return RouterProcess.attachOrStart(state, new RouterProcess.Options(0, 0, state.resolve("config.json"),
                RouterProcess.Options.STANDALONE, Duration.ofSeconds(30), env, null, polling));
    }
}
