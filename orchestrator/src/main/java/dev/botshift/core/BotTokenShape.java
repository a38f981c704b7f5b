package dev.botshift.core;

import java.util.regex.Pattern;

/**
 * What a Telegram bot token looks like, as BotFather hands it out: the bot's id, a colon, then a secret of URL-safe
 * characters. One rule for the plan's check ({@code traffic.polling}) and the polling bridge, which puts the token
 * into URL paths as it is.
 */
public final class BotTokenShape {
    private static final Pattern SHAPE = Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{1,200}");

    private BotTokenShape() {
    }

    public static boolean matches(String text) {
        return text != null && SHAPE.matcher(text).matches();
    }
}
