package dev.botshift.traffic.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botshift.core.Slot;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.Weights;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of a {@link RouterConfig}, shared by the config file, the admin API and the client:
 * <pre>{"weights":{"a":95,"b":5},"backends":{"a":["http://127.0.0.1:8081"],"green":[]},
 *  "stickyBy":"$.message.chat.id",
 *  "guard":{"slot":"b","rollout":"..","p0":0.01,"p1":0.03,"threshold":13.8,"tripped":{..}}}</pre>
 * ({@code guard}: the router's own guard on green, {@link GuardJson}).
 * Reading is a merge onto a base config, so a PUT may carry only the part it changes. Errors name the origin
 * (a file, or the admin API) and the field.
 */
public final class RouterConfigJson {
    static final ObjectMapper JSON = new ObjectMapper();

    private RouterConfigJson() {
    }

    public static ObjectNode toJson(RouterConfig config) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode weights = root.putObject("weights");
        weights.put(Slot.A.label(), config.weights().a());
        weights.put(Slot.B.label(), config.weights().b());
        ObjectNode backends = root.putObject("backends");
        for (Slot slot : Slot.values()) {
            ArrayNode list = backends.putArray(slot.label());
            config.backendsOf(slot).forEach(uri -> list.add(uri.toString()));
        }
        if (config.stickyBy() != null) {
            root.put("stickyBy", config.stickyBy());
        }
        if (config.guard() != null) {
            root.set("guard", GuardJson.toJson(config.guard(), config.trip()));
        }
        return root;
    }

    public static RouterConfig parse(byte[] json, String origin, RouterConfig base) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidInputException(origin + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidInputException(origin + ": cannot read: " + e.getMessage());
        }
        return merge(root, origin, base);
    }

    public static RouterConfig merge(JsonNode root, String origin, RouterConfig base) {
        if (root == null || !root.isObject()) {
            throw new InvalidInputException(origin + ": expected a JSON object");
        }
        RouterConfig result = base;
        if (root.has("weights")) {
            result = result.withWeights(weights(root.get("weights"), origin));
        }
        JsonNode backends = root.get("backends");
        if (backends != null) {
            if (!backends.isObject()) {
                throw new InvalidInputException(origin + ": field backends must be an object with a and/or b");
            }
            for (Slot slot : Slot.values()) {
                if (backends.has(slot.label())) {
                    result = result.withBackends(slot, uris(backends.get(slot.label()), origin, "backends." + slot.label()));
                }
            }
        }
        if (root.has("stickyBy")) {
            JsonNode sticky = root.get("stickyBy");
            try {
                result = result.withStickyBy(sticky.isNull() ? null : sticky.asText());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(origin + ": field stickyBy: " + e.getMessage());
            }
        }
        if (root.has("guard")) {
            result = GuardJson.merge(root.get("guard"), origin, result);
        }
        return result;
    }

    private static Weights weights(JsonNode node, String origin) {
        JsonNode a = node.get(Slot.A.label());
        JsonNode b = node.get(Slot.B.label());
        if (a == null && b == null || !node.isObject()) {
            throw new InvalidInputException(origin + ": field weights must be an object with a and/or b");
        }
        for (var field : new String[] {Slot.A.label(), Slot.B.label()}) {
            JsonNode value = node.get(field);
            if (value != null && !value.isIntegralNumber()) {
                throw new InvalidInputException(origin + ": field weights." + field + " must be a whole number of percent");
            }
        }
        // One side given means "the rest to the other"; both given must add up to 100.
        int shareA = a != null ? a.asInt() : 100 - b.asInt();
        int shareB = b != null ? b.asInt() : 100 - a.asInt();
        try {
            return new Weights(shareA, shareB);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(origin + ": field weights: " + e.getMessage());
        }
    }

    private static List<URI> uris(JsonNode node, String origin, String field) {
        if (!node.isArray()) {
            throw new InvalidInputException(origin + ": field " + field + " must be a list of base URIs");
        }
        List<URI> result = new ArrayList<>();
        for (JsonNode item : node) {
            try {
                URI uri = new URI(item.asText());
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new URISyntaxException(item.asText(), "expected http(s)://host:port");
                }
                result.add(uri);
            } catch (URISyntaxException e) {
                throw new InvalidInputException(origin + ": field " + field + ": " + e.getMessage());
            }
        }
        return result;
    }
}
