package dev.botshift.plan;

import java.time.Duration;
import java.util.List;

/**
 * With {@code traffic.source: telegram-polling}: how the Botshift router polls the Telegram Bot API for the bot and
 * delivers each update to a colour as a webhook POST (docs/polling.md).
 *
 * @param tokenEnv       the name of the environment variable holding the bot token (the token never goes in the plan)
 * @param apiUrl         the Bot API base URL (default {@code https://api.telegram.org}; a local Bot API server works)
 * @param path           the path the bots take webhook POSTs on (default {@code /})
 * @param allowedUpdates passed to {@code getUpdates} as {@code allowed_updates}; absent: the API's setting stays
 * @param pollTimeout    the long poll's timeout (default 25s)
 * @param maxAttempts    deliveries of one update before it goes to the dead-letter file (default 8)
 * @param secretEnv      the name of the environment variable holding the secret each delivery carries in
 *                       {@code X-Telegram-Bot-Api-Secret-Token}, for bots that check it as they would Telegram's; null:
 *                       none
 */
public record PollingSpec(String tokenEnv, String apiUrl, String path, List<String> allowedUpdates,
                          Duration pollTimeout, int maxAttempts, String secretEnv) {
    public static final String DEFAULT_API_URL = "https://api.telegram.org";

    /** Deliveries without a secret. */
    public PollingSpec(String tokenEnv, String apiUrl, String path, List<String> allowedUpdates, Duration pollTimeout,
                       int maxAttempts) {
        this(tokenEnv, apiUrl, path, allowedUpdates, pollTimeout, maxAttempts, null);
    }
}
