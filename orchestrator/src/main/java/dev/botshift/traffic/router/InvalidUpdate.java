package dev.botshift.traffic.router;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Why a routed request is not a valid update: the router still forwards it (health probes, a platform's odd update
 * types), but counts it apart, so that a bot's 4xx to junk is never taken for a served update by the judge.
 */
public enum InvalidUpdate {
    /** The body is not a JSON object. */
    NOT_JSON("notJson"),
    /** JSON, but without the {@code stickyBy} field: no conversation to keep on one colour. */
    NO_STICKY_KEY("noStickyKey");

    private static final JsonFactory JSON = new JsonFactory();
    private static final Reading NOT_JSON_READING = new Reading(Optional.empty(), NOT_JSON);

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
     * Reads {@code body} once: JSON object? key at {@code sticky} (null: any JSON object is valid)? The same answer
     * as parsing it into a tree and looking the key up ({@link StickyField#valueIn(byte[])}), without the tree: the
     * router does this for every request, and the tree (a map per object, a string per value) was most of its own
     * CPU per request. Every token of the first JSON value is still read and checked, strings decoded and numbers
     * parsed, so a body that a tree parse refuses is refused here too; what follows that value is ignored, as the
     * tree parse ignores it.
     */
    static Reading read(byte[] body, StickyField sticky) {
        if (body.length == 0) {
            return NOT_JSON_READING;
        }
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return NOT_JSON_READING; // nothing, an array or a scalar: whether valid JSON or not, no update
            }
            Optional<String> key = object(parser, sticky == null ? List.of() : sticky.names(), 0);
            if (sticky == null) {
                return new Reading(Optional.empty(), null);
            }
            return new Reading(key, key.isPresent() ? null : NO_STICKY_KEY);
        } catch (IOException notJson) {
            return NOT_JSON_READING;
        }
    }

    /**
     * The rest of the object the parser has just entered, up to its end: the scalar at {@code names[depth..]} in it,
     * if any. A member repeated takes its last value, as in a tree.
     */
    private static Optional<String> object(JsonParser parser, List<String> names, int depth) throws IOException {
        String wanted = depth < names.size() ? names.get(depth) : null;
        boolean last = depth == names.size() - 1;
        Optional<String> found = Optional.empty();
        for (JsonToken token = next(parser); token != JsonToken.END_OBJECT; token = next(parser)) {
            boolean match = wanted != null && wanted.equals(parser.currentName());
            JsonToken value = next(parser);
            if (match && last) {
                found = value.isScalarValue() && value != JsonToken.VALUE_NULL ? Optional.of(text(parser, value))
                        : Optional.empty();
                skip(parser, value);
            } else if (match && value == JsonToken.START_OBJECT) {
                found = object(parser, names, depth + 1);
            } else {
                if (match) {
                    found = Optional.empty(); // the path goes through an array or a scalar: nothing there
                }
                skip(parser, value);
            }
        }
        return found;
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
