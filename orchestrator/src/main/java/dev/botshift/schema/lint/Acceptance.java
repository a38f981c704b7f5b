package dev.botshift.schema.lint;

import java.util.HashMap;
import java.util.Map;

/**
 * Explicit opt-outs written in a changeset's comment: {@code botshift:accept <rule-id> <reason>}. Liquibase keeps the
 * comment in every format (XML {@code <comment>}, YAML {@code comment:}, formatted SQL {@code --comment:}), so one
 * mechanism serves all. A reason is required: an acceptance without one is ignored.
 */
final class Acceptance {
    static final String MARKER = "botshift:accept";

    private Acceptance() {
    }

    /** Rule id to reason. */
    static Map<String, String> read(String comments) {
        Map<String, String> accepted = new HashMap<>();
        if (comments == null) {
            return accepted;
        }
        int from = 0;
        while ((from = comments.indexOf(MARKER, from)) >= 0) {
            String rest = comments.substring(from + MARKER.length());
            int nextMarker = rest.indexOf(MARKER);
            String clause = (nextMarker < 0 ? rest : rest.substring(0, nextMarker)).strip();
            String[] words = clause.split("\\s+", 2);
            if (words.length == 2 && !words[1].isBlank()) {
                accepted.put(words[0], words[1].strip());
            }
            from += MARKER.length();
        }
        return accepted;
    }
}
