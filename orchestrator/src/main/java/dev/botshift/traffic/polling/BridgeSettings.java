package dev.botshift.traffic.polling;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the bridge polls and delivers.
 *
 * @param apiUrl         the Bot API base URL ({@code https://api.telegram.org}, or a local Bot API server, or a fake)
 * @param token          the bot's token
 * @param allowedUpdates passed to {@code getUpdates} as {@code allowed_updates}; null leaves the API's setting alone
 * @param pollTimeout    the long poll's {@code timeout}, whole seconds
 * @param maxAttempts    deliveries of one update before it goes to the dead-letter file
 * @param retryBase      the first retry's delay; each next one doubles, up to {@code retryMax}
 * @param retryMax       the longest delay between two attempts
 * @param maxInFlight    updates fetched but not yet acknowledged or dead-lettered, at most (polling pauses above)
 * @param parallelism    chats delivered at the same time, at most
 * @param stateDir       where the offset file and the dead-letter file live (the router's state folder)
 */
public record BridgeSettings(URI apiUrl, BotToken token, List<String> allowedUpdates, Duration pollTimeout,
                             int maxAttempts, Duration retryBase, Duration retryMax, int maxInFlight, int parallelism,
                             Path stateDir) {
    public static final URI DEFAULT_API_URL = URI.create("https://api.telegram.org");
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofSeconds(25);
    public static final int DEFAULT_MAX_ATTEMPTS = 8;

    public BridgeSettings {
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(stateDir, "stateDir");
        allowedUpdates = allowedUpdates == null ? null : List.copyOf(allowedUpdates);
        if (maxAttempts < 1 || maxInFlight < 1 || parallelism < 1) {
            throw new IllegalArgumentException("maxAttempts, maxInFlight and parallelism must be at least 1");
        }
    }

    /** The defaults for everything but what only the caller knows. */
    public static BridgeSettings of(URI apiUrl, BotToken token, Path stateDir) {
        return new BridgeSettings(apiUrl, token, null, DEFAULT_POLL_TIMEOUT, DEFAULT_MAX_ATTEMPTS,
                Duration.ofMillis(200), Duration.ofSeconds(10), 1_000, 16, stateDir);
    }

    public BridgeSettings withRetries(int attempts, Duration base, Duration max) {
        return new BridgeSettings(apiUrl, token, allowedUpdates, pollTimeout, attempts, base, max, maxInFlight,
                parallelism, stateDir);
    }

    public BridgeSettings withPollTimeout(Duration timeout) {
        return new BridgeSettings(apiUrl, token, allowedUpdates, timeout, maxAttempts, retryBase, retryMax,
                maxInFlight, parallelism, stateDir);
    }

    public BridgeSettings withAllowedUpdates(List<String> types) {
        return new BridgeSettings(apiUrl, token, types, pollTimeout, maxAttempts, retryBase, retryMax, maxInFlight,
                parallelism, stateDir);
    }

    /** The delay before attempt {@code attempt + 1} (attempt 1 failed: {@code retryBase}). */
    Duration backoff(int attempt) {
        long millis = retryBase.toMillis() << Math.min(20, Math.max(0, attempt - 1));
        return Duration.ofMillis(Math.min(millis, retryMax.toMillis()));
    }
}
