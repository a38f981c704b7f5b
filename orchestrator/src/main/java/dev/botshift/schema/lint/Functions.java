package dev.botshift.schema.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the linter knows about the functions a statement calls: which defaults are evaluated once (PostgreSQL 11+
 * then adds the column without a rewrite) and which calls in a {@code SELECT} have no effect on the schema or the
 * rows. Anything else is treated as the unsafe case: a default that may be volatile, a call that may change things.
 */
final class Functions {
    /** STABLE or IMMUTABLE functions seen in column defaults. */
    private static final Set<String> EVALUATED_ONCE = Set.of("now", "current_timestamp", "current_date",
            "current_time", "localtimestamp", "localtime", "transaction_timestamp", "statement_timestamp",
            "current_user", "current_schema", "session_user", "lower", "upper", "to_char", "to_date",
            "to_timestamp", "to_number", "timezone", "make_date", "make_timestamp", "make_timestamptz",
            "make_interval", "coalesce", "nullif", "greatest", "least", "concat", "jsonb_build_object",
            "json_build_object", "jsonb_build_array", "json_build_array", "array", "date_trunc", "abs", "round",
            "length", "md5");

    /** Calls a data-only {@code SELECT} may make: reading, aggregates, sequence values, session settings. */
    private static final Set<String> SIDE_EFFECT_FREE = union(EVALUATED_ONCE, Set.of("count", "max", "min", "sum",
            "avg", "setval", "nextval", "currval", "set_config", "current_setting", "version", "exists",
            "pg_sleep", "string_agg", "array_agg", "format", "substring", "replace", "trim", "position",
            "extract", "date_part", "char_length", "octet_length", "row_number", "random", "gen_random_uuid",
            "uuid_generate_v4", "clock_timestamp", "txid_current", "pg_get_serial_sequence", "quote_ident",
            "quote_literal", "to_regclass", "has_table_privilege"));

    /** Keywords that may stand before a parenthesis without being a call. */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "exists", "values", "select",
            "from", "where", "on", "as", "using", "case", "when", "then", "else", "any", "all", "some", "cast",
            "array", "row", "over", "filter", "within", "lateral", "join", "into", "by", "distinct", "is", "with",
            "union", "except", "intersect", "default", "interval");

    private Functions() {
    }

    /** Names of the functions called in {@code expression} (a name followed by an opening parenthesis). */
    static List<String> called(Words expression) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i + 1 < expression.size(); i++) {
            String token = expression.tokens().get(i);
            String name = Names.plain(token).toLowerCase(Locale.ROOT);
            if (expression.tokens().get(i + 1).equals("(") && isIdentifier(token) && !KEYWORDS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** Why a default expression rewrites the table, or null when it is evaluated once. */
    static String volatileDefault(Words expression) {
        for (String f : called(expression)) {
            if (!EVALUATED_ONCE.contains(f)) {
                return "a default calling " + f + "(), which is volatile (or may be: the linter cannot know), so"
                        + " PostgreSQL computes it for every existing row";
            }
        }
        return null;
    }

    /** The first called function that may change the schema or rows, or null. */
    static String sideEffect(Words statement) {
        for (String f : called(statement)) {
            if (!SIDE_EFFECT_FREE.contains(f)) {
                return f;
            }
        }
        return null;
    }

    private static boolean isIdentifier(String token) {
        char c = token.charAt(0);
        return Character.isLetter(c) || c == '_' || c == '"';
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
