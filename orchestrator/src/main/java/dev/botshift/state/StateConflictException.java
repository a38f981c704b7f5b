package dev.botshift.state;

/** The document changed since it was read; read it again and retry. */
public class StateConflictException extends RuntimeException {
    public StateConflictException(String app) {
        super("the state of '" + app + "' was changed by someone else");
    }
}
