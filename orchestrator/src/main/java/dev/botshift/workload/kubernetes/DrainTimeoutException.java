package dev.botshift.workload.kubernetes;

import dev.botshift.core.BotshiftException;
import dev.botshift.core.ExitCode;

/** Pods of a stopping colour were still there when the drain timeout ran out. */
public class DrainTimeoutException extends BotshiftException {
    public DrainTimeoutException(String message) {
        super(ExitCode.TIMED_OUT, message);
    }
}
