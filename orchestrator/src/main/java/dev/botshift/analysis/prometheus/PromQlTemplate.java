package dev.botshift.analysis.prometheus;

import dev.botshift.core.InvalidInputException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Fills {@code {{name}}} placeholders in a PromQL template so that no value can change the query's shape: inside a
 * string literal a value is escaped for that literal's quote; outside one (e.g. {@code [{{window}}]}) it must be a
 * plain token. The scan follows PromQL's lexer: {@code "..."} and {@code '...'} take backslash escapes of their own
 * quote, backquoted strings take none.
 */
final class PromQlTemplate {
    /** what may stand outside a string literal: durations, numbers, label-name-like words */
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_.:]+");

    private PromQlTemplate() {
    }

    static String render(String template, Map<String, String> values, String field) {
        StringBuilder out = new StringBuilder(template.length() + 32);
        char quote = 0;
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (template.startsWith("{{", i)) {
                int end = template.indexOf("}}", i + 2);
                if (end < 0) {
                    throw new InvalidInputException(field + ": unclosed '{{' in PromQL template");
                }
                String name = template.substring(i + 2, end).trim();
                String value = values.get(name);
                if (value == null) {
                    throw new InvalidInputException(field + ": unknown placeholder {{" + name + "}} (known: "
                            + String.join(", ", values.keySet()) + ")");
                }
                out.append(escape(value, quote, name, field));
                i = end + 2;
                continue;
            }
            out.append(c);
            if (quote == 0 && (c == '"' || c == '\'' || c == '`')) {
                quote = c;
            } else if (quote != 0 && quote != '`' && c == '\\' && i + 1 < template.length()) {
                out.append(template.charAt(++i)); // an escaped character never ends the string
            } else if (c == quote) {
                quote = 0;
            }
            i++;
        }
        return out.toString();
    }

    private static String escape(String value, char quote, String name, String field) {
        if (quote == 0) {
            if (!BARE.matcher(value).matches()) {
                throw new InvalidInputException(field + ": {{" + name + "}} stands outside a string literal, and its"
                        + " value '" + value + "' is not a plain token; put it in quotes");
            }
            return value;
        }
        if (quote == '`') {
            if (value.indexOf('`') >= 0) {
                throw new InvalidInputException(field + ": the value of {{" + name + "}} contains a backquote and"
                        + " cannot go in a backquoted string; use double quotes");
            }
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c == quote) {
                        out.append('\\');
                    }
                    out.append(c);
                }
            }
        }
        return out.toString();
    }
}
