package dev.botshift.example.sentiment;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The sample bot: a webhook that stores Telegram-like updates in PostgreSQL. Release 1.x stores the message;
 * release 2.x also scores its sentiment, which needs a schema change: the case Botshift exists for.
 */
public final class SentimentBot {

    /** Threads handling webhooks: twice the database pool, so one waiting for a connection holds no other's turn. */
    static final int WEBHOOK_THREADS = 2 * Database.POOL_SIZE;
    /**
     * The server's threads: they answer {@code /healthz}, {@code /metrics} and {@code /botshift/consumer} and hand
     * each webhook to its own threads ({@link InFlight}), so they are free while webhooks are slow.
     */
    static final int SERVER_THREADS = 3;

    private SentimentBot() {
    }

    public static void main(String[] args) {
        // without it the JDK server delays each small answer ~40 ms (Nagle + delayed ACK); read once, so set first
        System.setProperty("sun.net.httpserver.nodelay", "true");
        BotConfig config;
        PollingConfig polling;
        try {
            config = BotConfig.fromEnv(System.getenv());
            polling = PollingConfig.fromEnv(System.getenv()).orElse(null);
        } catch (InvalidConfigException e) {
            System.err.println("sentiment-bot: " + e.getMessage());
            System.exit(2);
            return;
        }
        RunningBot bot = start(config, polling);
        // SIGTERM: health turns 503, in-flight requests finish, then the pool closes.
        Runtime.getRuntime().addShutdownHook(new Thread(bot::stop, "sentiment-bot-shutdown"));
        System.out.println("listening on " + bot.port());
        System.out.flush();
    }

    /** Starts a bot in this JVM; it serves until {@link RunningBot#stop()}. */
    public static RunningBot start(BotConfig config) {
        return start(config, null);
    }

    /**
     * @param polling null: webhooks only; else the bot also polls {@code getUpdates} itself when asked to consume
     *                (at once, unless {@code BOTSHIFT_CONSUMER=standby}), switched through {@code /botshift/consumer}
     */
    public static RunningBot start(BotConfig config, PollingConfig polling) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(config.port()), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + config.port(), e);
        }
        Database database = new Database(config);
        BotMetrics metrics = new BotMetrics(config.version(), config.slot());
        InFlight inFlight = new InFlight();
        ExecutorService serverThreads = Executors.newFixedThreadPool(SERVER_THREADS);
        ExecutorService webhookThreads = Executors.newFixedThreadPool(WEBHOOK_THREADS);
        UpdateHandling handling = new UpdateHandling(config, database, metrics);
        Poller poller = polling == null ? null : new Poller(polling, handling);
        RunningBot bot = new RunningBot(server, List.of(serverThreads, webhookThreads), database, inFlight, poller);

        server.createContext("/webhook", inFlight.on(new WebhookHandler(config, handling), webhookThreads));
        server.createContext("/healthz", new HealthHandler(database, bot::draining));
        server.createContext("/metrics", new MetricsHandler(metrics.registry()));
        if (poller != null) {
            // a stop waits for the long poll in flight to return, so allow a whole poll and some handling
            server.createContext("/botshift/consumer", new ConsumerHandler(poller, polling.pollTimeout().plusSeconds(30)));
        }
        server.setExecutor(serverThreads);
        server.start();
        if (poller != null) {
            poller.start();
        }
        return bot;
    }
}
