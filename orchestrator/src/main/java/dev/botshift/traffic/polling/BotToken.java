package dev.botshift.traffic.polling;

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

    String value() {
        return value;
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
