package dev.botshift.cli;

import dev.botshift.core.DurationText;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.WebhookPlatform;
import dev.botshift.traffic.polling.BotToken;
import dev.botshift.traffic.polling.BridgeSettings;
import dev.botshift.traffic.polling.PollingBridge;
import dev.botshift.traffic.polling.RouterDelivery;
import dev.botshift.traffic.router.RouterServer;
import dev.botshift.traffic.router.StickyField;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code botshift router}'s bridge options (docs/polling.md): with {@code --poll-token-env} the router is the bot's
 * single {@code getUpdates} consumer and delivers each update through its own webhook port, which then listens on
 * 127.0.0.1 only.
 */
final class PollingOptions {
    /**
     * A delivery waits this much longer than the router waits for the bot ({@code --answer-timeout}): an attempt a
     * slow bot fails ends with the router's 504, counted against that bot, not with the bridge giving up first.
     */
    private static final Duration DELIVERY_MARGIN = Duration.ofSeconds(5);

    @Option(names = "--poll-token-env", paramLabel = "<NAME>",
            description = "Poll the Telegram Bot API instead of taking webhooks: the environment variable holding the"
                    + " bot token (never an argument). The webhook port then listens on 127.0.0.1 only.")
    String tokenEnv;

    @Option(names = "--poll-api-url", paramLabel = "<url>", defaultValue = "https://api.telegram.org",
            description = "With --poll-token-env: the Bot API base URL (default: ${DEFAULT-VALUE}).")
    String apiUrl;

    @Option(names = "--poll-path", paramLabel = "<path>", defaultValue = "/",
            description = "With --poll-token-env: the path the bots take webhook POSTs on (default: ${DEFAULT-VALUE}).")
    String path;

    @Option(names = "--poll-allowed-updates", paramLabel = "<types>",
            description = "With --poll-token-env: comma-separated update types passed as allowed_updates.")
    String allowedUpdates;

    @Option(names = "--poll-timeout", paramLabel = "<duration>", defaultValue = "25s",
            description = "With --poll-token-env: the long poll's timeout (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--poll-max-attempts", paramLabel = "<n>", defaultValue = "8",
            description = "With --poll-token-env: deliveries of one update before it goes to the dead-letter file"
                    + " (default: ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(names = "--poll-secret-env", paramLabel = "<NAME>",
            description = "With --poll-token-env: the environment variable holding a secret every delivery carries in"
                    + " X-Telegram-Bot-Api-Secret-Token, for bots that check it as they would Telegram's (never an"
                    + " argument; 1 to 256 of A-Z a-z 0-9 _ -).")
    String secretEnv;

    @Option(names = "--poll-state-dir", paramLabel = "<dir>",
            description = "With --poll-token-env: where the offset and dead-letter files go (default: the config"
                    + " file's folder).")
    Path stateDir;

    /** The value of {@code --poll-secret-env}'s variable, read by {@link #settings}; null without it. */
    private String deliverySecret;

    boolean enabled() {
        return tokenEnv != null;
    }

    /** @throws InvalidInputException naming the option when a value is wrong or the token is not set */
    BridgeSettings settings(Map<String, String> environment, Path configFile) {
        String token = BotTokenVariable.read("--poll-token-env", tokenEnv, environment);
        URI api;
        try {
            api = new URI(apiUrl);
            if (!("https".equals(api.getScheme()) || "http".equals(api.getScheme())) || api.getHost() == null
                    || api.getRawQuery() != null || api.getRawUserInfo() != null) {
                throw new URISyntaxException(apiUrl, "expected http(s)://host[:port][/path]");
            }
        } catch (URISyntaxException e) {
            throw new InvalidInputException("--poll-api-url: " + e.getMessage());
        }
        if (!path.startsWith("/")) {
            throw new InvalidInputException("--poll-path: must start with '/', got '" + path + "'");
        }
        Duration poll;
        try {
            poll = DurationText.parse(timeout);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--poll-timeout: " + e.getMessage());
        }
        if (poll.isNegative() || poll.toSeconds() > 3_600) {
            throw new InvalidInputException("--poll-timeout: must be between 0s and 1h, got " + timeout);
        }
        if (maxAttempts < 1) {
            throw new InvalidInputException("--poll-max-attempts: must be at least 1, got " + maxAttempts);
        }
        Path dir = stateDir != null ? stateDir : configFile == null ? null : configFile.toAbsolutePath().getParent();
        if (dir == null) {
            throw new InvalidInputException("--poll-state-dir: required with --configmap (the offset and the dead"
                    + " letters need a folder)");
        }
        deliverySecret = deliverySecret(environment);
        List<String> types = allowedUpdates == null ? null
                : Arrays.stream(allowedUpdates.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
        BridgeSettings defaults = BridgeSettings.of(api, new BotToken(token), dir);
        return defaults.withPollTimeout(poll).withAllowedUpdates(types)
                .withRetries(maxAttempts, defaults.retryBase(), defaults.retryMax());
    }

    /** The secret {@code --poll-secret-env} names, checked; null without the option. */
    private String deliverySecret(Map<String, String> environment) {
        if (secretEnv == null) {
            return null;
        }
        WebhookPlatform.TELEGRAM.secretProblem(secretEnv, environment, "the secret the deliveries carry")
                .ifPresent(problem -> {
                    throw new InvalidInputException("--poll-secret-env: " + problem);
                });
        return environment.get(secretEnv);
    }

    /** Starts the bridge behind {@code server}'s webhook port; the chat of an update is its current stickyBy field. */
    PollingBridge start(BridgeSettings settings, RouterServer server) {
        AtomicReference<StickyField> parsed = new AtomicReference<>();
        PollingBridge bridge = PollingBridge.start(settings,
                // a little longer than the router waits for the bot: a slow bot's attempt ends with the router's 504
                new RouterDelivery(server.listenUri(), path, server.answerTimeout().plus(DELIVERY_MARGIN),
                        deliverySecret),
                json -> {
                    String sticky = server.config().stickyBy();
                    if (sticky == null) {
                        return Optional.empty();
                    }
                    // parsed once per text, not per update (telegram's 24 paths)
                    StickyField field = parsed.updateAndGet(f -> f != null && f.path().equals(sticky) ? f
                            : StickyField.parse(sticky));
                    return field.valueIn(json);
                });
        server.reportPolling(() -> bridge.stats().toJson());
        return bridge;
    }
}
