package dev.botshift.schema.lint;

import dev.botshift.schema.lint.Effect.ConstraintKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the words after a column's type say: {@code NOT NULL}, {@code DEFAULT ...}, inline constraints. */
record ColumnSpecs(boolean notNull, boolean hasDefault, List<ConstraintKind> inlineConstraints) {

    static ColumnSpecs of(List<String> words) {
        List<String> w = words == null ? List.of()
                : words.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
        boolean notNull = false;
        boolean hasDefault = false;
        List<ConstraintKind> constraints = new ArrayList<>();
        for (int i = 0; i < w.size(); i++) {
            String word = w.get(i);
            String next = i + 1 < w.size() ? w.get(i + 1) : "";
            if (word.equals("NOT") && next.equals("NULL")) {
                notNull = true;
            } else if (word.equals("DEFAULT")) {
                hasDefault = true;
            } else if (word.equals("REFERENCES")) {
                constraints.add(ConstraintKind.FOREIGN_KEY);
            } else if (word.equals("UNIQUE")) {
                constraints.add(ConstraintKind.UNIQUE);
            } else if (word.equals("PRIMARY")) {
                constraints.add(ConstraintKind.PRIMARY_KEY);
            } else if (word.startsWith("CHECK")) {
                constraints.add(ConstraintKind.CHECK);
            }
        }
        return new ColumnSpecs(notNull, hasDefault, constraints);
    }
}
