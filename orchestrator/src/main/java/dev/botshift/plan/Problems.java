package dev.botshift.plan;

import com.fasterxml.jackson.core.JsonLocation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the problems of one plan file, each placed at the line of its field (or of the nearest enclosing field
 * that exists, for a missing one), so that all of them are reported at once.
 */
final class Problems {
    private final String file;
    private final Map<String, JsonLocation> locations;
    private final Set<String> fromEnvironment;
    private final List<PlanProblem> found = new ArrayList<>();

    Problems(String file, Map<String, JsonLocation> locations, Set<String> fromEnvironment) {
        this.file = file;
        this.locations = locations;
        this.fromEnvironment = fromEnvironment;
    }

    /** Records a problem; a second problem at the same field is dropped (it is usually a consequence of the first). */
    void add(String path, String message) {
        add(path, message, locate(path));
    }

    void add(String path, String message, JsonLocation at) {
        if (has(path)) {
            return;
        }
        int line = at == null ? 1 : Math.max(at.getLineNr(), 1);
        int column = at == null ? 1 : Math.max(at.getColumnNr(), 1);
        found.add(new PlanProblem(file, line, column, path, message));
    }

    boolean has(String path) {
        return found.stream().anyMatch(p -> p.field().equals(path));
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    /** Whether a field was written in the file (as opposed to filled in by a default). */
    boolean written(String path) {
        return locations.containsKey(path);
    }

    /**
     * The value as it may be quoted in a message: values from the environment, passwords, URLs (which may carry
     * credentials) and the bot's environment are never quoted.
     */
    String quote(String path, String value) {
        boolean secret = fromEnvironment.contains(path) || path.equals("database.password")
                || path.equals("database.url") || path.startsWith("workload.env") || path.equals("database");
        if (secret || value == null) {
            return "the value given";
        }
        return "'" + dev.botshift.core.VisibleText.quoted(value, 60) + "'";
    }

    PlanException exception() {
        List<PlanProblem> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingInt(PlanProblem::line).thenComparingInt(PlanProblem::column));
        return new PlanException(sorted);
    }

    private JsonLocation locate(String path) {
        for (String p = path; ; p = FieldPath.parent(p)) {
            JsonLocation at = locations.get(p);
            if (at != null || p.isEmpty()) {
                return at;
            }
        }
    }
}
