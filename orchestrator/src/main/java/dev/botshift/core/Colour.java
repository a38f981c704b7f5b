package dev.botshift.core;

/** The two slots a release can occupy. Which one is stable changes with every successful release. */
public enum Colour {
    BLUE, GREEN;

    public Colour other() {
        return this == BLUE ? GREEN : BLUE;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
