package dev.botshift.traffic.polling;

import dev.botshift.core.BotTokenShape;
import java.util.Objects;

/**
 * A bot's Bot API token. The API puts it in every URL ({@code /bot<token>/getUpdates}), so any URL, exception message
 * or log line the bridge builds passes through {@link #redact(String)} first; {@link #toString()} never shows it.
 */
public final class BotToken {
    private static final String HIDDEN = "<token>";
    private final String value;

    public BotToken(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("the bot token is empty");
        }
        this.value = value;
    }

    /** Whether {@code text} has the shape of a bot token (so that it can go into a URL path as it is). */
    public static boolean wellFormed(String text) {
        return BotTokenShape.matches(text);
    }

    String value() {
        return value;
    }

    /** The URL of Bot API {@code method} under {@code apiUrl}: the one place the token is put into a URL. */
    public java.net.URI methodUri(java.net.URI apiUrl, String method) {
        String base = apiUrl.toString().replaceAll("/+$", "");
        return java.net.URI.create(base + "/bot" + value + "/" + method);
    }

    /**
     * The bot's id: the part before the colon, which Telegram also shows as the bot's user id (not a secret). The
     * offset file records it, so an offset of one bot is never used to confirm another bot's updates.
     */
    public String botId() {
        int colon = value.indexOf(':');
        return colon > 0 ? value.substring(0, colon) : "";
    }

    /** {@code text} with every occurrence of the token replaced by {@value #HIDDEN}. */
    public String redact(String text) {
        return text == null ? null : text.replace(value, HIDDEN);
    }

    @Override
    public String toString() {
        return HIDDEN;
    }
}
