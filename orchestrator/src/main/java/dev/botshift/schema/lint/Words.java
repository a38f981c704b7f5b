package dev.botshift.schema.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A statement as JSqlParser's lexer splits it into tokens, for the few PostgreSQL forms JSqlParser 5.3 cannot parse
 * (VACUUM, CLUSTER, REINDEX, LOCK, ALTER TYPE...): decisions on whole tokens, keywords compared case-insensitively,
 * never on the raw text.
 */
record Words(List<String> tokens) {

    /** The statement's tokens, or null when the lexer cannot read it. */
    static Words of(String sql) {
        List<String> tokens = PgDialectShim.tokens(sql);
        if (tokens == null) {
            return null;
        }
        List<String> out = new ArrayList<>(tokens);
        while (!out.isEmpty() && out.get(out.size() - 1).equals(";")) {
            out.remove(out.size() - 1);
        }
        return new Words(List.copyOf(out));
    }

    int size() {
        return tokens.size();
    }

    /** Token {@code i} upper-cased, or "" past the end. */
    String at(int i) {
        return i >= 0 && i < tokens.size() ? tokens.get(i).toUpperCase(Locale.ROOT) : "";
    }

    /** True when the tokens from {@code from} are exactly {@code words} (keywords, case-insensitive). */
    boolean is(int from, String... words) {
        for (int i = 0; i < words.length; i++) {
            if (!at(from + i).equals(words[i])) {
                return false;
            }
        }
        return true;
    }

    boolean startsWith(String... words) {
        return is(0, words);
    }

    boolean has(String word) {
        return indexOf(word, 0) >= 0;
    }

    int indexOf(String word, int from) {
        for (int i = Math.max(0, from); i < tokens.size(); i++) {
            if (at(i).equals(word)) {
                return i;
            }
        }
        return -1;
    }

    /** Skips the optional {@code words} at {@code i}; returns the index after them (or {@code i}). */
    int skip(int i, String... words) {
        return is(i, words) ? i + words.length : i;
    }

    /**
     * The (possibly schema-qualified) name starting at token {@code i}, as PostgreSQL resolves it: schema dropped,
     * unquoted folded to lower case; null when there is none.
     */
    String name(int i) {
        if (i >= tokens.size() || tokens.get(i).equals("(")) {
            return null;
        }
        int last = i;
        while (last + 2 < tokens.size() && tokens.get(last + 1).equals(".")) {
            last += 2;
        }
        return Names.plain(tokens.get(last));
    }

    /** The index just after the name starting at {@code i}. */
    int afterName(int i) {
        int last = i;
        while (last + 2 < tokens.size() && tokens.get(last + 1).equals(".")) {
            last += 2;
        }
        return last + 1;
    }

    Words from(int i) {
        return new Words(tokens.subList(Math.min(i, tokens.size()), tokens.size()));
    }

    /** Splits at the commas outside parentheses: the sub-commands of an ALTER TABLE. */
    List<Words> splitTopLevel() {
        List<Words> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.equals("(")) {
                depth++;
            } else if (t.equals(")")) {
                depth--;
            } else if (t.equals(",") && depth == 0) {
                parts.add(new Words(tokens.subList(start, i)));
                start = i + 1;
            }
        }
        parts.add(new Words(tokens.subList(start, tokens.size())));
        return parts;
    }

    @Override
    public String toString() {
        return String.join(" ", tokens);
    }
}
