package dev.botshift.core;

/** Bad input (plan file, changelog, flags): exit code 2, and nothing was changed. */
public class InvalidInputException extends BotshiftException {
    public InvalidInputException(String message) {
        super(ExitCode.INVALID_INPUT, message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(ExitCode.INVALID_INPUT, message, cause);
    }
}
