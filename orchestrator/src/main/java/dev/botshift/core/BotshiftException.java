package dev.botshift.core;

/** Base of every failure that maps to an exit code; its message is shown to the user as is, so it never holds a secret. */
public abstract class BotshiftException extends RuntimeException {
    protected BotshiftException(String message) {
        super(message);
    }

    protected BotshiftException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract int exitCode();
}
