package dev.botshift.os;

/** A program that prints one line, run from a jar of its own by {@link JavaCommandTest}. */
public final class ArchiveProbe {
    private ArchiveProbe() {
    }

    public static void main(String[] args) {
        System.out.println("probe ran");
    }
}
