package dev.botshift.example.sentiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botshift.example.sentiment.Update.MalformedUpdateException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The bot's own {@code getUpdates} consumer, switched on and off by Botshift (docs/polling.md, handover mode).
 *
 * <p>One thread polls with a long poll, handles each update (retrying a failed one until it is stored) and polls
 * again with {@code offset} one past the last handled update, which is how the API learns it is done. A stop is
 * confirmed only once the poll in flight has returned, the handled updates are confirmed to the API by one last
 * {@code getUpdates} with no wait, and no new poll will start: the next consumer then gets exactly the updates this
 * one did not handle. An update still failing when the stop comes is left to the next consumer, unconfirmed. A start
 * is confirmed once the API has answered the first poll (sent with no wait, so at once): then the API has taken this
 * bot as its consumer.
 */
final class Poller implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FAILED_POLL_PAUSE = Duration.ofSeconds(1);
    private static final int CONFIRM_ATTEMPTS = 3;

    /** What {@code GET /botshift/consumer} reports: whether a poll loop runs, and the next offset it confirms. */
    record State(boolean consuming, long offset) {
    }

    private final PollingConfig config;
    private final UpdateHandling handling;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread thread;
    private final Object lock = new Object();
    private boolean wanted;
    private boolean active;
    private boolean closed;
    private boolean answered; // the API answered a poll of the current consuming run
    private volatile long offset; // written by the poll thread only

    Poller(PollingConfig config, UpdateHandling handling) {
        this.config = config;
        this.handling = handling;
        this.wanted = config.consuming();
        this.thread = new Thread(this::run, "bot-poller");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    State state() {
        synchronized (lock) {
            return new State(active, offset);
        }
    }

    /** Asks to consume; true once the API answered a poll of this bot, false when {@code timeout} passed first. */
    boolean startConsuming(Duration timeout) throws InterruptedException {
        synchronized (lock) {
            wanted = true;
            lock.notifyAll();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!(active && answered) && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return active && answered;
        }
    }

    /** Asks to stop; true once no poll is in flight and none will start, false when {@code timeout} passed first. */
    boolean stopConsuming(Duration timeout) throws InterruptedException {
        synchronized (lock) {
            wanted = false;
            lock.notifyAll();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (active) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private void run() {
        try {
            if (!config.consuming()) {
                warmUp();
            }
            while (awaitWanted()) {
                consume();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean awaitWanted() throws InterruptedException {
        synchronized (lock) {
            while (!wanted && !closed) {
                lock.wait();
            }
            return !closed;
        }
    }

    /** Polls until asked to stop, then confirms what was handled and says so. */
    private void consume() throws InterruptedException {
        boolean confirmed = true; // whether the API knows every handled update is done
        boolean first = true;
        try {
            while (beginPoll()) {
                // the first poll does not wait, so the start is confirmed at once, by the API's answer
                List<JsonNode> updates = getUpdates(offset, first ? 0 : config.pollTimeout().toSeconds(), 100);
                if (updates == null) {
                    Thread.sleep(FAILED_POLL_PAUSE.toMillis());
                    continue;
                }
                if (first) {
                    first = false;
                    synchronized (lock) {
                        answered = true;
                        lock.notifyAll();
                    }
                }
                confirmed = true; // this poll carried the offset
                for (JsonNode update : updates) {
                    long id = update.path("update_id").asLong();
                    if (id < offset) {
                        continue; // already handled: the API repeats only what was not confirmed yet
                    }
                    if (!handleUntilStored(update)) {
                        break; // asked to stop while it still fails: left unconfirmed, for the next consumer
                    }
                    offset = id + 1;
                    confirmed = false;
                }
            }
            // one last call confirms the updates handled since the last poll; it returns at once and starts nothing.
            // If the API cannot be reached, the next consumer gets them again and stores them once (update_id)
            for (int attempt = 0; !confirmed && attempt < CONFIRM_ATTEMPTS; attempt++) {
                confirmed = getUpdates(offset, 0, 1) != null;
                if (!confirmed && attempt + 1 < CONFIRM_ATTEMPTS) {
                    Thread.sleep(FAILED_POLL_PAUSE.toMillis());
                }
            }
        } finally {
            synchronized (lock) {
                active = false;
                answered = false;
                lock.notifyAll();
            }
        }
    }

    /** Whether to poll again; if so, the loop counts as consuming from here on. */
    private boolean beginPoll() {
        synchronized (lock) {
            if (!wanted || closed) {
                return false;
            }
            active = true;
            return true;
        }
    }

    private boolean stillWanted() {
        synchronized (lock) {
            return wanted && !closed;
        }
    }

    /** Retries a failing update (with backoff) until stored; false when asked to stop first. */
    private boolean handleUntilStored(JsonNode json) throws InterruptedException {
        long pause = 10; // short: while it retries, no poll is in flight, and that counts in the gap
        while (true) {
            long started = System.nanoTime();
            Update update;
            try {
                update = Update.parse(JSON.writeValueAsBytes(json));
            } catch (MalformedUpdateException | IOException e) {
                handling.rejected(started); // not a message the bot handles (an edit, a callback): skipped
                return true;
            }
            if (handling.handle(update, started) == UpdateHandling.Result.STORED) {
                return true;
            }
            if (!stillWanted()) {
                return false;
            }
            Thread.sleep(pause);
            pause = Math.min(100, pause * 2);
        }
    }

    /**
     * A standby bot calls {@code getMe} once (not a poll: no conflict with the consumer), so the HTTP client's classes,
     * connection and code paths are ready: a cold first poll would add a few hundred ms to the handover's gap.
     */
    private void warmUp() throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.apiUrl() + "/bot" + config.token() + "/getMe"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        try {
            JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofByteArray()).body());
        } catch (IOException e) {
            System.err.println("getMe from " + config.apiUrl() + " failed: " + config.redact(e.toString()));
        }
    }

    /** One {@code getUpdates}; null when it failed (logged without the token). */
    private List<JsonNode> getUpdates(long from, long timeoutSeconds, int limit) throws InterruptedException {
        String query = "timeout=" + timeoutSeconds + "&limit=" + limit + (from > 0 ? "&offset=" + from : "");
        URI uri = URI.create(config.apiUrl() + "/bot" + config.token() + "/getUpdates?" + query);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.pollTimeout().plusSeconds(10)).GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200 || !body.path("ok").asBoolean()) {
                System.err.println("getUpdates from " + config.apiUrl() + ": " + response.statusCode() + " "
                        + config.redact(body.path("description").asText()));
                return null;
            }
            return List.copyOf(JSON.convertValue(body.path("result"), JSON.getTypeFactory()
                    .constructCollectionType(List.class, JsonNode.class)));
        } catch (IOException e) {
            System.err.println("getUpdates from " + config.apiUrl() + " failed: " + config.redact(e.toString()));
            return null;
        }
    }

    /** Stops consuming (confirming what was handled, as a stop does) and ends the thread. */
    @Override
    public void close() {
        try {
            stopConsuming(config.pollTimeout().plusSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }
}
