package dev.botshift.supervise.local;

import dev.botshift.core.BotshiftException;
import dev.botshift.core.ExitCode;

/** The supervisor process could not be started, or died before it took over: exit 1, with its log's words. */
public class SupervisorFailedException extends BotshiftException {
    public SupervisorFailedException(String message) {
        super(ExitCode.INTERNAL, message);
    }
}
