package dev.botshift.core;

/** Base of every failure that maps to an exit code; its message is shown to the user as is, so it never holds a secret. */
public abstract class BotshiftException extends RuntimeException {
    private final int exitCode;

    /** @param exitCode one of {@link ExitCode}'s, the same for every instance of a subclass */
    protected BotshiftException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    protected BotshiftException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public final int exitCode() {
        return exitCode;
    }
}
