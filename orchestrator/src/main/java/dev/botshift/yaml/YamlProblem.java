package dev.botshift.yaml;

import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Where a YAML file stops parsing and why, without its text: the parsers' own messages quote the offending line,
 * which may hold a secret (a password in a changeset's SQL, a token in a Deployment template's environment, a value
 * in a plan), and those messages reach terminals and CI logs. The one rule for every YAML Botshift reads: the plan
 * and the phases file (Jackson 2, SnakeYAML), changelogs (Liquibase, SnakeYAML) and Kubernetes templates (Fabric8,
 * Jackson 3, SnakeYAML Engine).
 *
 * @param line    1-based, where the parser gave up
 * @param column  1-based
 * @param problem the parser's problem ("found unexpected end of stream"), which quotes no input
 * @param context what it was reading then, with where that began ("while scanning a quoted scalar at line 6 column
 *                16"), or null
 */
public record YamlProblem(int line, int column, String problem, String context) {
    /** The first marked YAML problem in {@code failure}'s causes, if any. */
    public static Optional<YamlProblem> in(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                String context = m.getContext() == null || m.getContextMark() == null ? null
                        : m.getContext() + " at line " + (m.getContextMark().getLine() + 1) + " column "
                                + (m.getContextMark().getColumn() + 1);
                return Optional.of(new YamlProblem(m.getProblemMark().getLine() + 1,
                        m.getProblemMark().getColumn() + 1, m.getProblem(), context));
            }
            if (t instanceof MarkedYamlEngineException m && m.getProblemMark().isPresent()) {
                String context = m.getContext() == null || m.getContextMark().isEmpty() ? null
                        : m.getContext() + " at line " + (m.getContextMark().get().getLine() + 1) + " column "
                                + (m.getContextMark().get().getColumn() + 1);
                return Optional.of(new YamlProblem(m.getProblemMark().get().getLine() + 1,
                        m.getProblemMark().get().getColumn() + 1, m.getProblem(), context));
            }
        }
        return Optional.empty();
    }

    /** {@code line L column C: malformed YAML: <problem> (<context>)}. */
    public String describe() {
        return describe("YAML");
    }

    /** As {@link #describe()}, for a file in {@code language} read by a YAML parser (JSON is YAML to it). */
    public String describe(String language) {
        return "line " + line + " column " + column + ": malformed " + language + ": " + problem
                + (context == null ? "" : " (" + context + ")");
    }
}
