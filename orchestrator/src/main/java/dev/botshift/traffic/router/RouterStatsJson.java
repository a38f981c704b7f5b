package dev.botshift.traffic.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botshift.core.Colour;

import java.util.EnumMap;
import java.util.Map;

/** {@code {"blue":{"requests":..,"serverErrors":..,"p50Seconds":..,"p99Seconds":..},"green":{..}}} */
final class RouterStatsJson {

    private RouterStatsJson() {
    }

    static ObjectNode toJson(RouterStats stats) {
        ObjectNode root = RouterConfigJson.JSON.createObjectNode();
        for (Colour colour : Colour.values()) {
            RouterStats.ColourStats s = stats.of(colour);
            ObjectNode node = root.putObject(colour.label());
            node.put("requests", s.requests());
            node.put("serverErrors", s.serverErrors());
            node.put("p50Seconds", s.p50Seconds());
            node.put("p99Seconds", s.p99Seconds());
        }
        return root;
    }

    static RouterStats fromJson(JsonNode root) {
        Map<Colour, RouterStats.ColourStats> colours = new EnumMap<>(Colour.class);
        for (Colour colour : Colour.values()) {
            JsonNode node = root.path(colour.label());
            if (!node.isObject()) {
                throw new IllegalArgumentException("router stats without " + colour.label());
            }
            colours.put(colour, new RouterStats.ColourStats(
                    node.path("requests").asLong(), node.path("serverErrors").asLong(),
                    node.path("p50Seconds").asDouble(), node.path("p99Seconds").asDouble()));
        }
        return new RouterStats(colours);
    }
}
