package dev.botshift.traffic.router;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The body field that identifies a conversation, written as a dotted JSON path ({@code $.message.chat.id}).
 * Only plain member names are supported: webhook payloads put the chat id at a fixed place, and a full JSONPath
 * engine would make the routing of a chat depend on filter semantics nobody can see from the plan file.
 *
 * @param path    as written
 * @param pointer the same place as a JSON pointer, for a parsed tree
 * @param names   the member names from the root down, for a streaming read ({@link InvalidUpdate#read})
 */
public record StickyField(String path, JsonPointer pointer, List<String> names) {
    private static final Pattern DOTTED = Pattern.compile("\\$(\\.[A-Za-z_][A-Za-z0-9_-]*)+");
    private static final ObjectMapper JSON = new ObjectMapper();

    public static StickyField parse(String path) {
        if (path == null || !DOTTED.matcher(path).matches()) {
            throw new IllegalArgumentException("stickyBy must be a dotted JSON path like $.message.chat.id, got: " + path);
        }
        List<String> names = List.of(path.substring(2).split("\\."));
        return new StickyField(path, JsonPointer.compile("/" + String.join("/", names)), names);
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

    /** The field's value as text, if {@code root} holds a scalar there. */
    public Optional<String> valueIn(JsonNode root) {
        JsonNode node = root == null ? null : root.at(pointer);
        if (node == null || node.isMissingNode() || node.isNull() || node.isContainerNode()) {
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }
}
