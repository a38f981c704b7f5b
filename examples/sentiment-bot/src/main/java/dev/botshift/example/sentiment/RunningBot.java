package dev.botshift.example.sentiment;

import com.sun.net.httpserver.HttpServer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/** A started bot: its port, and the way to drain and stop it. */
public final class RunningBot implements AutoCloseable {

    /** How long in-flight requests get to finish when the bot stops. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private final HttpServer server;
    private final List<ExecutorService> threads;
    private final Database database;
    private final InFlight inFlight;
    private final Poller poller;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();

    /** @param poller the bot's own getUpdates consumer, or null for a webhook-only bot */
    RunningBot(HttpServer server, List<ExecutorService> threads, Database database, InFlight inFlight, Poller poller) {
        this.poller = poller;
        this.server = server;
        this.threads = threads;
        this.database = database;
        this.inFlight = inFlight;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** From now on {@code /healthz} answers 503, so load balancers take the bot out; requests are still served. */
    public void drain() {
        draining.set(true);
    }

    public boolean draining() {
        return draining.get();
    }

    /** Drains, lets in-flight requests finish (up to {@code grace}), stops the server and closes the pool. */
    public void stop(Duration grace) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        drain();
        if (poller != null) {
            poller.close(); // confirms what it handled, so the next consumer starts right after it
        }
        try {
            if (!inFlight.awaitIdle(grace)) {
                System.err.println("stopping with requests still in flight after " + grace.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop(0);
        threads.forEach(ExecutorService::shutdown);
        database.close();
    }

    public void stop() {
        stop(DEFAULT_GRACE);
    }

    @Override
    public void close() {
        stop();
    }
}
