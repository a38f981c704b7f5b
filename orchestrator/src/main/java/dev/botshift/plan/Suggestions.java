package dev.botshift.plan;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;

/** "did you mean ..." for misspelt field names: the nearest known name by edit distance, if it is near enough. */
final class Suggestions {
    private Suggestions() {
    }

    /** {@code " (did you mean 'stepDuration'?)"}, or {@code " (known fields: a, b, c)"} when nothing is close. */
    static String didYouMean(String given, Collection<String> known) {
        if (known.isEmpty()) {
            return "";
        }
        String nearest = known.stream().min(Comparator.comparingInt(k -> distance(given, k))).orElseThrow();
        int allowed = Math.max(2, nearest.length() / 3);
        if (distance(given, nearest) <= allowed) {
            return " (did you mean '" + nearest + "'?)";
        }
        return " (known fields: " + String.join(", ", known.stream().sorted().toList()) + ")";
    }

    /** Levenshtein distance, ignoring case: {@code stepduration} is one mistake, not several. */
    static int distance(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        int[] previous = new int[y.length() + 1];
        int[] current = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int substitute = previous[j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[y.length()];
    }
}
