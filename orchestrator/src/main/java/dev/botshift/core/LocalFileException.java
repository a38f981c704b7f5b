package dev.botshift.core;

/**
 * A file or directory on this machine that Botshift cannot use as it is: a state directory another user could
 * tamper with, a corrupt state file, a full disk. Exit code 2: nothing was changed, and the message names the path
 * and what to do about it.
 */
public class LocalFileException extends BotshiftException {
    public LocalFileException(String message) {
        super(ExitCode.INVALID_INPUT, message);
    }

    public LocalFileException(String message, Throwable cause) {
        super(ExitCode.INVALID_INPUT, message, cause);
    }
}
