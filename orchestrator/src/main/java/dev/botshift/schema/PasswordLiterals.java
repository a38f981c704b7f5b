package dev.botshift.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL shown to people (a finding of {@code lint}, {@code plan}'s preview of the statements) with each password
 * literal hidden: {@code CREATE USER app PASSWORD 'hunter2'} is shown as {@code CREATE USER app PASSWORD '…'}. A
 * changelog should take it as a {@code ${name}} parameter from the plan's environment (the linter's
 * {@code password-literal} finds one that does not); when one does not, its password still does not reach a terminal
 * or a CI log through Botshift.
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

    /**
     * A password literal of a statement. @param at where its {@code PASSWORD} keyword starts in the text
     * @param value the password as written between its quotes ({@code ''} read as one quote)
     */
    public record Literal(int at, String value) {
    }

    /** The password literals of {@code sql}, in order. */
    public static List<Literal> in(String sql) {
        List<Literal> found = new ArrayList<>();
        Matcher m = LITERAL.matcher(sql == null ? "" : sql);
        while (m.find()) {
            String quoted = sql.substring(m.end(1), m.end());
            String value;
            if (quoted.startsWith("'")) {
                boolean closed = quoted.length() > 1 && quoted.endsWith("'");
                value = quoted.substring(1, quoted.length() - (closed ? 1 : 0)).replace("''", "'");
            } else {
                String tag = "$" + (m.group(2) == null ? "" : m.group(2)) + "$";
                value = quoted.substring(tag.length(), quoted.endsWith(tag) && quoted.length() >= 2 * tag.length()
                        ? quoted.length() - tag.length() : quoted.length());
            }
            found.add(new Literal(m.start(), value));
        }
        return found;
    }
}
