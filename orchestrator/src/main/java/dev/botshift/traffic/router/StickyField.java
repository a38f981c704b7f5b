package dev.botshift.traffic.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import dev.botshift.core.StickyPaths;

/**
 * The body field that identifies a conversation, as {@code stickyBy} says ({@link StickyPaths}: a dotted JSON path
 * such as {@code $.message.chat.id} or {@code $.entry[0].id}, several joined by {@code |}, {@code telegram} or
 * {@code whatsapp}); the first path present in a body counts. Only member names and fixed array indices: webhook
 * payloads put the chat id at fixed places, and a full JSONPath engine would make the routing of a chat depend on
 * filter semantics nobody can see from the plan file.
 *
 * @param path  as written
 * @param names each path's elements from the root down (member names, and array indices as {@link
 *              StickyPaths#index} writes them), for a tree ({@link #valueIn(JsonNode)}) and a streaming read ({@link
 *              InvalidUpdate#read})
 */
public record StickyField(String path, List<List<String>> names) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @throws IllegalArgumentException saying what is wrong ({@link StickyPaths#parse}) */
    public static StickyField parse(String path) {
        List<List<String>> names;
        try {
            names = StickyPaths.parse(path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stickyBy " + e.getMessage(), e);
        }
        return new StickyField(path, names);
    }

    /** The field's value as text, if the body is JSON and holds a scalar there. */
    public Optional<String> valueIn(byte[] body) {
        if (body.length == 0) {
            return Optional.empty();
        }
        try {
            return valueIn(JSON.readTree(body));
        } catch (IOException notJson) {
            // Not JSON is a normal case (health probes, form posts): such requests are split at random.
            return Optional.empty();
        }
    }

    /** The value of the first path at which {@code root} holds a scalar, as text. */
    public Optional<String> valueIn(JsonNode root) {
        if (root == null) {
            return Optional.empty();
        }
        for (List<String> elements : names) {
            JsonNode node = root;
            for (String element : elements) {
                node = node == null ? null : StickyPaths.isIndex(element)
                        ? (node.isArray() ? node.get(Integer.parseInt(element.substring(1, element.length() - 1))) : null)
                        : (node.isObject() ? node.get(element) : null);
            }
            if (node != null && !node.isNull() && !node.isContainerNode()) {
                return Optional.of(node.asText());
            }
        }
        return Optional.empty();
    }
}
