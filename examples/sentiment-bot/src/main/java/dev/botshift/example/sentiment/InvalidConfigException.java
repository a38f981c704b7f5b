package dev.botshift.example.sentiment;

/** A bad environment variable; the message names it (and never carries a secret's value). */
public final class InvalidConfigException extends RuntimeException {
    private final String variable;

    public InvalidConfigException(String variable, String problem) {
        super("invalid " + variable + ": " + problem);
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }
}
