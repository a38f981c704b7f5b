package dev.botshift.schema.lint;

import dev.botshift.schema.lint.Effect.ConstraintKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a column definition says after its name: {@code NOT NULL}, a default, inline constraints, and whether adding
 * the column rewrites the table (PostgreSQL 11+ adds a column with a constant or once-evaluated default without a
 * rewrite; a volatile default, a serial, identity or stored generated column fills every existing row).
 *
 * @param rewrites why adding the column rewrites the table, or null
 */
record ColumnSpecs(boolean notNull, boolean hasDefault, List<ConstraintKind> inlineConstraints, String rewrites) {
    private static final Set<String> SERIAL = Set.of("serial", "bigserial", "smallserial", "serial2", "serial4",
            "serial8");
    /** Words that end a DEFAULT expression. */
    private static final Set<String> SPEC_START = Set.of("NOT", "NULL", "CONSTRAINT", "CHECK", "REFERENCES", "UNIQUE",
            "PRIMARY", "GENERATED", "COLLATE");

    /** From JSqlParser's column type and spec words. */
    static ColumnSpecs of(String type, List<String> specWords) {
        Words specs = Words.of(specWords == null ? "" : String.join(" ", specWords));
        return of(type, specs == null ? new Words(List.of()) : specs);
    }

    static ColumnSpecs of(String type, Words w) {
        boolean notNull = false;
        boolean hasDefault = false;
        String rewrites = isSerial(type) ? "a serial column: its sequence fills every existing row" : null;
        List<ConstraintKind> constraints = new ArrayList<>();
        int depth = 0;
        for (int i = 0; i < w.size(); i++) {
            String word = w.at(i);
            depth += word.equals("(") ? 1 : word.equals(")") ? -1 : 0;
            if (depth > 0) {
                continue;
            }
            if (w.is(i, "NOT", "NULL")) {
                notNull = true;
            } else if (word.equals("DEFAULT")) {
                hasDefault = true;
                String volatileDefault = Functions.volatileDefault(defaultExpression(w, i + 1));
                rewrites = rewrites != null ? rewrites : volatileDefault;
            } else if (word.equals("GENERATED")) {
                int end = w.indexOf("STORED", i);
                if (w.indexOf("IDENTITY", i) >= 0 && (end < 0 || w.indexOf("IDENTITY", i) < end)) {
                    hasDefault = true;
                    rewrites = "an identity column: every existing row gets a value";
                } else if (end >= 0) {
                    hasDefault = true;
                    rewrites = "a stored generated column: it is computed for every existing row";
                }
            } else if (word.equals("REFERENCES")) {
                constraints.add(ConstraintKind.FOREIGN_KEY);
            } else if (word.equals("UNIQUE")) {
                constraints.add(ConstraintKind.UNIQUE);
            } else if (word.equals("PRIMARY")) {
                constraints.add(ConstraintKind.PRIMARY_KEY);
            } else if (word.equals("CHECK")) {
                constraints.add(ConstraintKind.CHECK);
            }
        }
        return new ColumnSpecs(notNull, hasDefault, constraints, rewrites);
    }

    static boolean isSerial(String type) {
        return type != null && SERIAL.contains(type.strip().toLowerCase(Locale.ROOT));
    }

    static boolean isJson(String type) {
        return type != null && type.strip().equalsIgnoreCase("json");
    }

    /** The tokens of the DEFAULT expression starting at {@code from}. */
    private static Words defaultExpression(Words w, int from) {
        int depth = 0;
        int end = from;
        for (; end < w.size(); end++) {
            String word = w.at(end);
            depth += word.equals("(") ? 1 : word.equals(")") ? -1 : 0;
            if (depth == 0 && end > from && SPEC_START.contains(word)) {
                break;
            }
        }
        return new Words(w.tokens().subList(Math.min(from, w.size()), end));
    }
}
