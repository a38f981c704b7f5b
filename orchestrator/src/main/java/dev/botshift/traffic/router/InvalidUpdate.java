package dev.botshift.traffic.router;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.botshift.core.StickyPaths;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Why a routed request is not a valid update: the router still forwards it (health probes, a platform's odd update
 * types), but counts it apart, so that a bot's 4xx to junk is never taken for a served update by the judge.
 */
public enum InvalidUpdate {
    /** The body is not a JSON object, nor a form ({@link FormUpdate}) that can be read. */
    NOT_JSON("notJson"),
    /** A JSON object or a form, but without the {@code stickyBy} field: no conversation to keep on one colour. */
    NO_STICKY_KEY("noStickyKey");

    private static final JsonFactory JSON = new JsonFactory();
    /** A body that is neither a JSON object nor a readable form. */
    static final Reading NOT_JSON_READING = new Reading(Optional.empty(), NOT_JSON);

    private final String label;

    InvalidUpdate(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * What a body holds: its conversation key, or why it is not a valid update.
     *
     * @param key     the sticky key, when the body has one
     * @param invalid null for a valid update
     */
    record Reading(Optional<String> key, InvalidUpdate invalid) {
    }

    /**
     * Reads {@code body} once: JSON object? key at one of {@code sticky}'s paths (null: any JSON object is valid)? The
     * same answer as parsing it into a tree and looking the paths up in order ({@link StickyField#valueIn(byte[])}),
     * without the tree: the router does this for every request, and the tree (a map per object, a string per value)
     * was most of its own CPU per request. Every token of the first JSON value is still read and checked, strings
     * decoded and numbers parsed, so a body that a tree parse refuses is refused here too; what follows that value is
     * ignored, as the tree parse ignores it.
     */
    static Reading read(byte[] body, StickyField sticky) {
        if (body.length == 0) {
            return NOT_JSON_READING;
        }
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return NOT_JSON_READING; // nothing, an array or a scalar: whether valid JSON or not, no update
            }
            List<List<String>> paths = sticky == null ? List.of() : sticky.names();
            String[] found = new String[paths.size()];
            object(parser, paths, null, 0, found);
            if (sticky == null) {
                return new Reading(Optional.empty(), null);
            }
            for (String key : found) {
                if (key != null) {
                    return new Reading(Optional.of(key), null); // the first path present, as written
                }
            }
            return new Reading(Optional.empty(), NO_STICKY_KEY);
        } catch (IOException notJson) {
            return NOT_JSON_READING;
        }
    }

    /**
     * The rest of the object the parser has just entered, up to its end: for each path that leads here ({@code
     * active}, null for all of them), the scalar at its end, into {@code found} by the path's index. A member repeated
     * takes its last value, as in a tree.
     */
    private static void object(JsonParser parser, List<List<String>> paths, int[] active, int depth, String[] found)
            throws IOException {
        for (JsonToken token = next(parser); token != JsonToken.END_OBJECT; token = next(parser)) {
            int[] matching = matching(paths, active, depth, parser.currentName(), false);
            JsonToken value = next(parser);
            if (matching == null) {
                skip(parser, value);
                continue;
            }
            for (int i : matching) {
                found[i] = null; // a repeated member replaces what an earlier one gave
            }
            value(parser, value, paths, matching, depth + 1, found);
        }
    }

    /** The rest of the array the parser has just entered, up to its end: as {@link #object}, by element index. */
    private static void array(JsonParser parser, List<List<String>> paths, int[] active, int depth, String[] found)
            throws IOException {
        int index = 0;
        for (JsonToken token = next(parser); token != JsonToken.END_ARRAY; token = next(parser), index++) {
            int[] matching = matching(paths, active, depth, StickyPaths.index(index), true);
            if (matching == null) {
                skip(parser, token);
            } else {
                value(parser, token, paths, matching, depth + 1, found);
            }
        }
    }

    /**
     * The value that starts at {@code token}, reached by the {@code active} paths' first {@code depth} elements: the
     * scalar of those that end here, the object or array of those that go on.
     */
    private static void value(JsonParser parser, JsonToken token, List<List<String>> paths, int[] active, int depth,
                              String[] found) throws IOException {
        if (token == JsonToken.START_OBJECT) {
            object(parser, paths, active, depth, found); // a path ending at an object finds nothing
        } else if (token == JsonToken.START_ARRAY) {
            array(parser, paths, active, depth, found);
        } else {
            if (token.isScalarValue() && token != JsonToken.VALUE_NULL) {
                String text = text(parser, token);
                for (int i : active) {
                    if (paths.get(i).size() == depth) {
                        found[i] = text; // a path going on through a scalar finds nothing
                    }
                }
            }
            skip(parser, token);
        }
    }

    /**
     * The indices of the {@code active} paths whose element at {@code depth} is {@code element}: a member's name, or
     * ({@code byIndex}) an array index as {@link StickyPaths#index} writes it, so that a member named "[0]" is never
     * taken for an element; null when none.
     */
    private static int[] matching(List<List<String>> paths, int[] active, int depth, String element,
                                  boolean byIndex) {
        int count = 0;
        int n = active == null ? paths.size() : active.length;
        for (int k = 0; k < n; k++) {
            if (matches(paths.get(active == null ? k : active[k]), depth, element, byIndex)) {
                count++;
            }
        }
        if (count == 0) {
            return null;
        }
        int[] indices = new int[count];
        int j = 0;
        for (int k = 0; k < n; k++) {
            int i = active == null ? k : active[k];
            if (matches(paths.get(i), depth, element, byIndex)) {
                indices[j++] = i;
            }
        }
        return indices;
    }

    private static boolean matches(List<String> path, int depth, String element, boolean byIndex) {
        return depth < path.size() && path.get(depth).equals(element) && StickyPaths.isIndex(element) == byIndex;
    }

    /** Reads past the value that starts at {@code token}, checking every token in it. */
    private static void skip(JsonParser parser, JsonToken token) throws IOException {
        int open = 0;
        do {
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                open++;
            } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                open--;
            } else {
                check(parser, token);
            }
            if (open > 0) {
                token = next(parser);
            }
        } while (open > 0);
    }

    /** What a tree parse would do with a scalar: decode a string, parse a number (either may fail). */
    private static void check(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case VALUE_STRING -> parser.getTextLength();
            case VALUE_NUMBER_INT -> parser.getNumberType();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            default -> {
            }
        }
    }

    /** The scalar as {@code JsonNode.asText()} writes it, so a key hashes to the same bucket as it always did. */
    private static String text(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> Integer.toString(parser.getIntValue());
                case LONG -> Long.toString(parser.getLongValue());
                default -> parser.getBigIntegerValue().toString();
            };
            case VALUE_NUMBER_FLOAT -> Double.toString(parser.getDoubleValue());
            default -> parser.getText();
        };
    }

    /** The next token; the end of the input inside a value is an error (the parser reports most such cases itself). */
    private static JsonToken next(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            throw new IOException("unexpected end of input");
        }
        return token;
    }
}
