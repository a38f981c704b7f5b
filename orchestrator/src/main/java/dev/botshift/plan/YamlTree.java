package dev.botshift.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.botshift.yaml.YamlProblem;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A plan file's YAML as a tree, plus where every field and list element starts.
 *
 * <p>Every scalar is kept as the text that was written: YAML would read {@code release: 1.10} as the number 1.1,
 * and a {@code ${env:...}} reference may stand in for a number. Jackson converts the text to the record's type
 * when binding.
 */
record YamlTree(ObjectNode root, Map<String, JsonLocation> locations, Map<String, JsonLocation> duplicates) {
    private static final YAMLFactory YAML = YAMLFactory.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** @throws PlanException when the text is not YAML, is empty, or is not a mapping at the top */
    static YamlTree parse(String file, String text) {
        Map<String, JsonLocation> locations = new HashMap<>();
        Map<String, JsonLocation> duplicates = new LinkedHashMap<>();
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw single(file, 1, 1, "the plan file is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                JsonLocation at = p.currentTokenLocation();
                throw single(file, at.getLineNr(), at.getColumnNr(), "expected a mapping of plan fields (name: ..., release: ...)");
            }
            locations.put("", p.currentTokenLocation());
            ObjectNode root = (ObjectNode) read(p, "", locations, duplicates);
            if (p.nextToken() != null) {
                JsonLocation at = p.currentTokenLocation();
                throw single(file, at.getLineNr(), at.getColumnNr(), "a plan file holds one YAML document, found another");
            }
            return new YamlTree(root, locations, duplicates);
        } catch (StreamReadException e) {
            throw malformed(file, e);
        } catch (StreamConstraintsException e) {
            // Jackson's limits (nesting depth, document and value size) stop a plan built to exhaust the parser
            throw single(file, 0, 0, "not a plan: it exceeds what the YAML reader accepts (" + e.getMessage()
                    .replaceAll(", from `.*`\\)", ")") + ")");
        } catch (IOException e) {
            throw single(file, 0, 0, "cannot read the plan file: " + e.getClass().getSimpleName());
        }
    }

    private static JsonNode read(JsonParser p, String path, Map<String, JsonLocation> locations,
                                 Map<String, JsonLocation> duplicates) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.START_OBJECT) {
            ObjectNode object = NODES.objectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                String field = FieldPath.field(path, name);
                JsonLocation at = p.currentTokenLocation();
                p.nextToken();
                if (object.has(name)) {
                    duplicates.putIfAbsent(field, at);
                    p.skipChildren();
                } else {
                    locations.put(field, at);
                    object.set(name, read(p, field, locations, duplicates));
                }
            }
            return object;
        }
        if (token == JsonToken.START_ARRAY) {
            ArrayNode array = NODES.arrayNode();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                String element = FieldPath.element(path, array.size());
                locations.put(element, p.currentTokenLocation());
                array.add(read(p, element, locations, duplicates));
            }
            return array;
        }
        if (token == JsonToken.VALUE_NULL) {
            return NODES.nullNode();
        }
        return NODES.textNode(p.getText());
    }

    // SnakeYAML's own message quotes the offending line, which may hold a secret: report only its problem and mark.
    private static PlanException malformed(String file, StreamReadException e) {
        Optional<YamlProblem> problem = YamlProblem.in(e);
        if (problem.isPresent()) {
            return single(file, problem.get().line(), problem.get().column(), "malformed YAML: " + problem.get().problem());
        }
        JsonLocation at = e.getLocation();
        return single(file, at == null ? 1 : at.getLineNr(), at == null ? 1 : at.getColumnNr(), "malformed YAML");
    }

    private static PlanException single(String file, int line, int column, String message) {
        return new PlanException(List.of(new PlanProblem(file, line, column, "", message)));
    }
}
