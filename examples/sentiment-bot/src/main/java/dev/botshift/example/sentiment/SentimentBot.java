package dev.botshift.example.sentiment;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The sample bot: a webhook that stores Telegram-like updates in PostgreSQL. Release 1.x stores the message;
 * release 2.x also scores its sentiment, which needs a schema change: the case Botshift exists for.
 */
public final class SentimentBot {

    /** Threads serving HTTP: twice the connection pool, so health and metrics answer while the pool is busy. */
    static final int HTTP_THREADS = 2 * Database.POOL_SIZE;

    private SentimentBot() {
    }

    public static void main(String[] args) {
        // without it the JDK server delays each small answer ~40 ms (Nagle + delayed ACK); read once, so set first
        System.setProperty("sun.net.httpserver.nodelay", "true");
        BotConfig config;
        try {
            config = BotConfig.fromEnv(System.getenv());
        } catch (InvalidConfigException e) {
            System.err.println("sentiment-bot: " + e.getMessage());
            System.exit(2);
            return;
        }
        RunningBot bot = start(config);
        // SIGTERM: health turns 503, in-flight requests finish, then the pool closes.
        Runtime.getRuntime().addShutdownHook(new Thread(bot::stop, "sentiment-bot-shutdown"));
        System.out.println("listening on " + bot.port());
        System.out.flush();
    }

    /** Starts a bot in this JVM; it serves until {@link RunningBot#stop()}. */
    public static RunningBot start(BotConfig config) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(config.port()), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + config.port(), e);
        }
        Database database = new Database(config);
        BotMetrics metrics = new BotMetrics(config.version(), config.slot());
        InFlight inFlight = new InFlight();
        ExecutorService executor = Executors.newFixedThreadPool(HTTP_THREADS);
        RunningBot bot = new RunningBot(server, executor, database, inFlight);

        HttpContext webhook = server.createContext("/webhook", new WebhookHandler(config, database, metrics));
        webhook.getFilters().add(inFlight);
        server.createContext("/healthz", new HealthHandler(database, bot::draining));
        server.createContext("/metrics", new MetricsHandler(metrics.registry()));
        server.setExecutor(executor);
        server.start();
        return bot;
    }
}
