package dev.botshift.core;

/** An endpoint we depend on (database, Kubernetes API, Prometheus, router) cannot be reached. Names the endpoint, never credentials. */
public class UnreachableException extends BotshiftException {
    public UnreachableException(String message, Throwable cause) {
        super(ExitCode.INVALID_INPUT, message, cause);
    }
}
