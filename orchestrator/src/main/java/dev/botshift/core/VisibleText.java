package dev.botshift.core;

/**
 * Text that came from outside (a plan's value, a command's argument, a file's content quoted in a refusal) made safe
 * to print: its control characters are written as a backslash, {@code u} and four hex digits (ESC as {@code u001B}),
 * so they are shown, never run by the terminal or the CI log that prints them (an escape sequence could recolour,
 * hide or rewrite the lines around it).
 */
public final class VisibleText {
    private VisibleText() {
    }

    /** A message: its line breaks and tabs kept, every other control character written out. */
    public static String of(String text) {
        return escape(text, true);
    }

    /** A value quoted in a message: every control character written out, line breaks too. */
    public static String quoted(String text) {
        return escape(text, false);
    }

    /**
     * {@link #quoted}, cut after {@code max} characters ("…" then): a value from a file can be megabytes long, and a
     * message quotes it to be recognised, not read whole.
     */
    public static String quoted(String text, int max) {
        return quoted(cut(text, max));
    }

    /**
     * {@code text} cut after {@code max} characters, "…" then: the one rule of every cut Botshift shows. It counts code
     * points, so a cut never splits a character in two (half a surrogate pair is not text a JSON writer can keep).
     */
    public static String cut(String text, int max) {
        if (text == null || text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, max)) + "…";
    }

    private static String escape(String text, boolean keepLayout) {
        if (text == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c) && !(keepLayout && (c == '\n' || c == '\t'))) {
                b.append(String.format("\\u%04X", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
