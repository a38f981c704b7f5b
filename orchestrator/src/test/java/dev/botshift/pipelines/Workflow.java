package dev.botshift.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GitHub workflow or composite action, read with Jackson YAML: its jobs' steps in order, their {@code run:}
 * scripts and the environment each step sees, with {@code ${{ … }}} expressions replaced by what they would be
 * without repository variables or secrets (an input's default, else the expression's last quoted literal).
 */
record Workflow(Path file, JsonNode root) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*(.*?)\\s*}}");
    private static final Pattern INPUT = Pattern.compile("inputs\\.([A-Za-z0-9_-]+)");
    private static final Pattern LITERAL = Pattern.compile("'([^']*)'");

    record Step(String job, String id, String name, String uses, String run, Map<String, String> env, JsonNode with) {
    }

    static Workflow read(Path file) throws IOException {
        return new Workflow(file, YAML.readTree(file.toFile()));
    }

    /** Job names in file order; a composite action has one job, "action". */
    List<String> jobs() {
        List<String> names = new ArrayList<>();
        if (root.has("jobs")) {
            root.get("jobs").fieldNames().forEachRemaining(names::add);
        } else {
            names.add("action");
        }
        return names;
    }

    JsonNode job(String name) {
        return root.has("jobs") ? root.get("jobs").get(name) : root.get("runs");
    }

    List<Step> steps(String job) {
        List<Step> steps = new ArrayList<>();
        JsonNode j = job(job);
        for (JsonNode s : j.get("steps")) {
            Map<String, String> env = new LinkedHashMap<>();
            env.putAll(envOf(root));
            env.putAll(envOf(j));
            env.putAll(envOf(s));
            steps.add(new Step(job, s.path("id").asText(null), s.path("name").asText(s.path("id").asText("")), s.path("uses").asText(null),
                    s.path("run").asText(null), env, s.path("with")));
        }
        return steps;
    }

    List<Step> allSteps() {
        List<Step> all = new ArrayList<>();
        jobs().forEach(j -> all.addAll(steps(j)));
        return all;
    }

    private Map<String, String> envOf(JsonNode node) {
        Map<String, String> env = new LinkedHashMap<>();
        node.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), resolve(e.getValue().asText())));
        return env;
    }

    /**
     * Replaces each {@code ${{ … }}} by its offline value; a {@code needs.<job>.outputs.<name>} reference stays, for
     * the runner to fill in from the jobs that ran.
     */
    String resolve(String text) {
        Matcher m = EXPRESSION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = m.group(1).startsWith("needs.") ? m.group() : evaluate(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String evaluate(String expression) {
        Matcher input = INPUT.matcher(expression);
        if (input.find()) {
            String declared = inputDefault(input.group(1));
            if (declared != null && !declared.isEmpty()) {
                return declared;
            }
        }
        String literal = null;
        Matcher l = LITERAL.matcher(expression);
        while (l.find()) {
            literal = l.group(1);
        }
        return literal != null ? literal : "";
    }

    private String inputDefault(String name) {
        JsonNode action = root.path("inputs").path(name);
        if (!action.isMissingNode()) {
            return action.path("default").asText(null);
        }
        JsonNode dispatch = root.path("on").path("workflow_dispatch").path("inputs").path(name);
        return dispatch.isMissingNode() ? null : dispatch.path("default").asText(null);
    }
}
