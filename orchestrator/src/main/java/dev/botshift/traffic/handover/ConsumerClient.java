package dev.botshift.traffic.handover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The bot's side of a handover: {@code GET}/{@code POST /botshift/consumer} on its health port (docs/polling.md). */
final class ConsumerClient {
    static final String PATH = "/botshift/consumer";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a bot reports. */
    record State(boolean consuming, long offset) {
    }

    /**
     * How long a bot may take to tell its state: a {@code GET} answers at once by the contract (only a switch waits
     * for a poll in flight). The data plane's guard reads every instance each round under the handover's lock, so a
     * bot that is stopped or hung must not hold the guard, or a switch of the rollout, for a switch's whole timeout.
     */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Duration timeout;
    private final Duration readTimeout;

    /** @param timeout how long a stop or a start may take; a read takes at most {@link #READ_TIMEOUT} of it */
    ConsumerClient(Duration timeout) {
        this(timeout, timeout.compareTo(READ_TIMEOUT) < 0 ? timeout : READ_TIMEOUT);
    }

    ConsumerClient(Duration timeout, Duration readTimeout) {
        this.timeout = timeout;
        this.readTimeout = readTimeout;
    }

    State state(URI bot) {
        return send(bot, HttpRequest.newBuilder(bot.resolve(PATH)).GET().timeout(readTimeout), true, "read");
    }

    /** Returns once the bot confirmed it stopped; a bot that is not running polls nothing either. */
    void stop(URI bot) {
        State s = send(bot, post(bot, false), false, "stop");
        if (s.consuming()) {
            throw new ConsumerSwitchException(bot + PATH + " still consumes after a confirmed stop");
        }
    }

    void start(URI bot) {
        State s = send(bot, post(bot, true), true, "start");
        if (!s.consuming()) {
            throw new ConsumerSwitchException(bot + PATH + " does not consume after a confirmed start");
        }
    }

    private HttpRequest.Builder post(URI bot, boolean consuming) {
        return HttpRequest.newBuilder(bot.resolve(PATH)).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"consuming\":" + consuming + "}"));
    }

    /** @param refusedIsError whether a bot that takes no connection is a failure (to read or start) or done (stop) */
    private State send(URI bot, HttpRequest.Builder request, boolean refusedIsError, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            if (refusedIsError) {
                throw new ConsumerSwitchException("cannot " + what + " the consumer at " + bot + ": not reachable");
            }
            return new State(false, -1);
        } catch (IOException e) {
            throw new ConsumerSwitchException("cannot " + what + " the consumer at " + bot + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsumerSwitchException("interrupted while asking " + bot + " to " + what + " consuming");
        }
        if (response.statusCode() == 404) {
            throw new ConsumerSwitchException(bot + PATH + " is missing (404): the bot does not honour the handover "
                    + "contract (docs/polling.md)");
        }
        if (response.statusCode() != 200) {
            throw new ConsumerSwitchException(bot + PATH + ": " + what + " not confirmed (HTTP " + response.statusCode()
                    + ")");
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            if (body == null || !body.path("consuming").isBoolean()) {
                throw new ConsumerSwitchException(bot + PATH + ": the answer has no boolean 'consuming'");
            }
            return new State(body.path("consuming").asBoolean(), body.path("offset").asLong(-1));
        } catch (IOException e) {
            throw new ConsumerSwitchException(bot + PATH + ": the answer is not JSON");
        }
    }

    /** A switch that could not be confirmed: the rollout reports it, and nothing further is switched. */
    static final class ConsumerSwitchException extends RuntimeException {
        ConsumerSwitchException(String message) {
            super(message);
        }
    }
}
