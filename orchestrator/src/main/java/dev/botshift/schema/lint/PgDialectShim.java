package dev.botshift.schema.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.parser.CCJSqlParserTokenManager;
import net.sf.jsqlparser.parser.SimpleCharStream;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.parser.Token;

/**
 * JSqlParser 5.3 does not parse a few PostgreSQL clauses that are exactly the safe forms this linter recommends
 * ({@code CREATE INDEX CONCURRENTLY}, {@code NOT VALID}, {@code SET DATA TYPE}, {@code UNIQUE USING INDEX}).
 * This shim works on JSqlParser's own token stream: it removes those clauses, remembers them as flags, and hands a
 * statement JSqlParser understands back to the classifier. Statements without such clauses pass unchanged.
 */
public final class PgDialectShim {

    /** The statement to parse plus the PostgreSQL clauses that were taken out of it. */
    public record Normalized(String sql, boolean concurrently, boolean notValid, boolean usingIndex) {
    }

    private PgDialectShim() {
    }

    public static Normalized normalize(String sql) {
        List<String> tokens = tokens(sql);
        if (tokens == null) {
            return new Normalized(sql, false, false, false);
        }
        boolean concurrently = removeConcurrently(tokens);
        boolean notValid = removeNotValid(tokens);
        boolean dataType = replaceSetDataType(tokens);
        boolean usingIndex = replaceUsingIndex(tokens);
        if (!concurrently && !notValid && !dataType && !usingIndex) {
            return new Normalized(sql, false, false, false);
        }
        return new Normalized(String.join(" ", tokens), concurrently, notValid, usingIndex);
    }

    /** The token images, or null when JSqlParser's lexer cannot read the text (the parser will then report it). */
    public static List<String> tokens(String sql) {
        if (sql.isBlank()) {
            return new ArrayList<>(); // the lexer fails on empty input
        }
        try {
            CCJSqlParserTokenManager lexer = new CCJSqlParserTokenManager(new SimpleCharStream(new StringProvider(sql)));
            List<String> out = new ArrayList<>();
            for (Token t = lexer.getNextToken(); t.kind != 0; t = lexer.getNextToken()) {
                out.add(t.image);
            }
            return out;
        } catch (RuntimeException e) { // TokenMgrException, or the lexer failing on odd input
            return null;
        }
    }

    private static boolean is(List<String> tokens, int i, String word) {
        return i >= 0 && i < tokens.size() && tokens.get(i).toUpperCase(Locale.ROOT).equals(word);
    }

    /** {@code CREATE [UNIQUE] INDEX CONCURRENTLY} and {@code DROP INDEX CONCURRENTLY}. */
    private static boolean removeConcurrently(List<String> tokens) {
        for (int i = 1; i < tokens.size(); i++) {
            if (is(tokens, i, "CONCURRENTLY") && is(tokens, i - 1, "INDEX")) {
                tokens.remove(i);
                return true;
            }
        }
        return false;
    }

    /** {@code NOT VALID} at the end of a constraint definition (before a comma, a semicolon or the end). */
    private static boolean removeNotValid(List<String> tokens) {
        boolean found = false;
        for (int i = 0; i + 1 < tokens.size(); i++) {
            boolean atEnd = i + 2 == tokens.size() || is(tokens, i + 2, ",") || is(tokens, i + 2, ";");
            if (is(tokens, i, "NOT") && is(tokens, i + 1, "VALID") && atEnd) {
                tokens.remove(i + 1);
                tokens.remove(i);
                found = true;
            }
        }
        return found;
    }

    /** {@code ALTER COLUMN c SET DATA TYPE t} means {@code ALTER COLUMN c TYPE t}. */
    private static boolean replaceSetDataType(List<String> tokens) {
        boolean found = false;
        for (int i = 0; i + 2 < tokens.size(); i++) {
            if (is(tokens, i, "SET") && is(tokens, i + 1, "DATA") && is(tokens, i + 2, "TYPE")) {
                tokens.remove(i + 1);
                tokens.remove(i);
                found = true;
            }
        }
        return found;
    }

    /** {@code UNIQUE USING INDEX idx} / {@code PRIMARY KEY USING INDEX idx}: the index was built beforehand. */
    private static boolean replaceUsingIndex(List<String> tokens) {
        for (int i = 1; i + 2 < tokens.size(); i++) {
            boolean afterKey = is(tokens, i - 1, "UNIQUE") || is(tokens, i - 1, "KEY");
            if (afterKey && is(tokens, i, "USING") && is(tokens, i + 1, "INDEX")) {
                String index = tokens.get(i + 2);
                tokens.subList(i, i + 3).clear();
                tokens.addAll(i, List.of("(", index, ")"));
                return true;
            }
        }
        return false;
    }
}
