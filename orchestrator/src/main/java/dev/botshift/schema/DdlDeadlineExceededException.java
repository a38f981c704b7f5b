package dev.botshift.schema;

import dev.botshift.core.BotshiftException;
import dev.botshift.core.ExitCode;

/** A DDL statement kept hitting {@code lock_timeout} until the plan's {@code ddlDeadline} passed. Exit code 6. */
public class DdlDeadlineExceededException extends BotshiftException {
    public DdlDeadlineExceededException(String message, Throwable cause) {
        super(ExitCode.TIMED_OUT, message, cause);
    }
}
