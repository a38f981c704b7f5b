package dev.botshift.traffic.webhook;

import dev.botshift.core.BotshiftException;
import dev.botshift.core.ExitCode;

/**
 * A Bot API call that did not succeed: refused by the API, unreachable (exit 2), or not answered in time (exit 6).
 * The message names the method and the base URL, never the token.
 */
public final class BotApiException extends BotshiftException {
    private BotApiException(int exitCode, String message) {
        super(exitCode, message);
    }

    static BotApiException refused(String message) {
        return new BotApiException(ExitCode.INVALID_INPUT, message);
    }

    static BotApiException timedOut(String message) {
        return new BotApiException(ExitCode.TIMED_OUT, message);
    }
}
