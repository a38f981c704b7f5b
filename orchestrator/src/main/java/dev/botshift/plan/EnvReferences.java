package dev.botshift.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${env:NAME}} references in string values, whole or embedded, with the variable's value.
 * Keeps the paths it filled in, because those values may be secrets and must never be quoted in a message.
 */
final class EnvReferences {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{env:([^}]*)}");
    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, String> environment;
    private final Set<String> resolved = new HashSet<>();

    EnvReferences(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The paths whose value came (partly) from the environment. */
    Set<String> resolved() {
        return resolved;
    }

    /** Resolves every reference in place; a missing variable is reported at the field that names it. */
    void resolve(JsonNode node, String path, Problems problems) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                String child = FieldPath.field(path, field.getKey());
                if (field.getValue().isTextual()) {
                    field.setValue(substitute(field.getValue().textValue(), child, problems));
                } else {
                    resolve(field.getValue(), child, problems);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String child = FieldPath.element(path, i);
                if (array.get(i).isTextual()) {
                    array.set(i, substitute(array.get(i).textValue(), child, problems));
                } else {
                    resolve(array.get(i), child, problems);
                }
            }
        }
    }

    private TextNode substitute(String text, String path, Problems problems) {
        Matcher m = REFERENCE.matcher(text);
        if (!m.find()) {
            if (text.contains("${env:")) {
                problems.add(path, "unterminated ${env:NAME} reference");
            }
            return TextNode.valueOf(text);
        }
        StringBuilder out = new StringBuilder();
        do {
            String name = m.group(1);
            String value = environment.get(name);
            if (!NAME.matcher(name).matches()) {
                problems.add(path, "'${env:" + name + "}' does not name an environment variable");
                value = "";
            } else if (value == null) {
                problems.add(path, "environment variable " + name + " is not set");
                value = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        } while (m.find());
        m.appendTail(out);
        resolved.add(path);
        return TextNode.valueOf(out.toString());
    }
}
