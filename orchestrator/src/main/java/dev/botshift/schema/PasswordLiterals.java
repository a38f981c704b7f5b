package dev.botshift.schema;

import java.util.regex.Pattern;

/**
 * SQL shown to people (a finding of {@code lint}, {@code plan}'s preview of the statements) with each password
 * literal hidden: {@code CREATE USER app PASSWORD 'hunter2'} is shown as {@code CREATE USER app PASSWORD '…'}. A
 * changelog should take it as a {@code ${name}} parameter from the plan's environment; when one does not, its password
 * still does not reach a terminal or a CI log through Botshift.
 */
public final class PasswordLiterals {
    // PASSWORD 'x', ENCRYPTED PASSWORD 'x', PASSWORD E'x' (with '' and backslash escapes inside: a standard string's
    // backslash makes at most more hidden), PASSWORD $$x$$ or $tag$x$tag$; a literal never closed is hidden to the end
    // (a statement that does not parse is quoted as it is)
    private static final Pattern LITERAL = Pattern.compile(
            "(?is)\\b(PASSWORD\\s+(?:E(?='))?)(?:'(?:[^'\\\\]|''|\\\\.)*(?:'|\\z)|\\$(\\w*)\\$.*?(?:\\$\\2\\$|\\z))");

    private PasswordLiterals() {
    }

    /** {@code sql} with every password literal shown as {@code '…'}. */
    public static String hidden(String sql) {
        return sql == null ? null : LITERAL.matcher(sql).replaceAll("$1'…'");
    }
}
