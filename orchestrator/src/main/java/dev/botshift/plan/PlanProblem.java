package dev.botshift.plan;

/**
 * One thing wrong with a plan file, where it is and what it is.
 *
 * @param file    the plan file as given
 * @param line    1-based line; 0 when the problem is not tied to a line (the file cannot be read)
 * @param column  1-based column; 0 with line 0
 * @param field   the field path, e.g. {@code traffic.steps[2]}; empty for the document itself
 * @param message what is wrong; never holds a secret value
 */
public record PlanProblem(String file, int line, int column, String field, String message) {

    /** {@code plan.yaml:14:3: traffic.stepDuraton: unknown field (did you mean 'stepDuration'?)} */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(file);
        if (line > 0) {
            out.append(':').append(line).append(':').append(column);
        }
        out.append(": ");
        if (!field.isEmpty()) {
            out.append(field).append(": ");
        }
        return out.append(message).toString();
    }
}
