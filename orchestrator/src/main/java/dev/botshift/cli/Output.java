package dev.botshift.cli;

/** {@code -o text|json}. */
public enum Output {
    text, json
}
