package dev.botshift.example.sentiment;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Polling mode: the bot long-polls Telegram's {@code getUpdates} itself, and Botshift hands the one consumer over
 * between releases (docs/polling.md, handover mode). Absent {@code BOT_POLLING_API_URL}, the bot takes webhooks only.
 *
 * @param apiUrl      the Bot API base URL ({@code https://api.telegram.org}, or a fake one in tests and the demo)
 * @param token       the bot token, from {@code BOT_TOKEN}; never printed ({@link #toString()} hides it)
 * @param pollTimeout the long poll's timeout; a stop is confirmed at most this long after it is asked for
 * @param consuming   whether the bot polls from the start: {@code BOTSHIFT_CONSUMER=standby} says it waits to be asked
 */
public record PollingConfig(URI apiUrl, String token, Duration pollTimeout, boolean consuming) {

    public static Optional<PollingConfig> fromEnv(Map<String, String> env) {
        String url = env.getOrDefault("BOT_POLLING_API_URL", "").trim();
        if (url.isEmpty()) {
            return Optional.empty();
        }
        if (!url.matches("https?://[^/?#@\\s]+(/[^?#\\s]*)?")) {
            throw new InvalidConfigException("BOT_POLLING_API_URL", "must be an http:// or https:// base URL");
        }
        String token = env.getOrDefault("BOT_TOKEN", "").trim();
        if (!token.matches("\\d+:[A-Za-z0-9_-]+")) {
            // the value is not echoed: a malformed token is still a secret
            throw new InvalidConfigException("BOT_TOKEN", "must hold the bot token (digits, ':', then letters)");
        }
        String timeout = env.getOrDefault("BOT_POLL_TIMEOUT", "25").trim();
        int seconds;
        try {
            seconds = Integer.parseInt(timeout);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 1 || seconds > 3_600) {
            throw new InvalidConfigException("BOT_POLL_TIMEOUT", "must be whole seconds 1..3600, got '" + timeout + "'");
        }
        String consumer = env.getOrDefault("BOTSHIFT_CONSUMER", "active").trim();
        if (!consumer.equals("active") && !consumer.equals("standby")) {
            throw new InvalidConfigException("BOTSHIFT_CONSUMER", "must be standby or active, got '" + consumer + "'");
        }
        return Optional.of(new PollingConfig(URI.create(url.replaceAll("/+$", "")), token, Duration.ofSeconds(seconds),
                consumer.equals("active")));
    }

    /** A message with the token replaced: the Bot API puts it in every URL, so it can reach an exception's text. */
    String redact(String message) {
        return message == null ? "" : message.replace(token, "<token>");
    }

    @Override
    public String toString() {
        return "PollingConfig[apiUrl=" + apiUrl + ", token=***, pollTimeout=" + pollTimeout + ", consuming=" + consuming
                + "]";
    }
}
