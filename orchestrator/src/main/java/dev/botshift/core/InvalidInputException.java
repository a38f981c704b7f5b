package dev.botshift.core;

/** Bad input (plan file, changelog, flags): exit code 2, and nothing was changed. */
public class InvalidInputException extends BotshiftException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return ExitCode.INVALID_INPUT;
    }
}
