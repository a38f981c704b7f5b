package dev.botshift.traffic.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botshift.analysis.Latencies;
import dev.botshift.core.Slot;
import java.util.ArrayList;
import java.util.List;

import java.util.EnumMap;
import java.util.Map;

/**
 * {@code {"a":{"requests":..,"serverErrors":..,"p50Seconds":..,"p99Seconds":..,"invalid":..,
 * "invalidServerErrors":..,"inFlight":..,"latency":{"upperBoundsSeconds":[..],"counts":[..]}},"b":{..},"refused":{"missing":..,"mismatch":..,"stale":..},
 * "invalid":{"notJson":..,"noStickyKey":..}}}. A reader of an older router finds no {@code refused}/{@code invalid}/
 * {@code inFlight}: zero.
 */
final class RouterStatsJson {

    private RouterStatsJson() {
    }

    static ObjectNode toJson(RouterStats stats) {
        ObjectNode root = RouterConfigJson.JSON.createObjectNode();
        for (Slot slot : Slot.values()) {
            RouterStats.SlotStats s = stats.of(slot);
            ObjectNode node = root.putObject(slot.label());
            node.put("requests", s.requests());
            node.put("serverErrors", s.serverErrors());
            node.put("p50Seconds", s.p50Seconds());
            node.put("p99Seconds", s.p99Seconds());
            node.put("invalid", s.invalid());
            node.put("invalidServerErrors", s.invalidServerErrors());
            node.put("inFlight", s.inFlight());
            if (s.latency() != null) {
                ObjectNode latency = node.putObject("latency");
                s.latency().upperBounds().forEach(latency.putArray("upperBoundsSeconds")::add);
                s.latency().counts().forEach(latency.putArray("counts")::add);
            }
        }
        ObjectNode refused = root.putObject("refused");
        for (Refusal reason : Refusal.values()) {
            refused.put(reason.label(), stats.refused().getOrDefault(reason.label(), 0L));
        }
        ObjectNode invalid = root.putObject("invalid");
        for (InvalidUpdate reason : InvalidUpdate.values()) {
            invalid.put(reason.label(), stats.invalid().getOrDefault(reason.label(), 0L));
        }
        return root;
    }

    static RouterStats fromJson(JsonNode root) {
        Map<Slot, RouterStats.SlotStats> slots = new EnumMap<>(Slot.class);
        for (Slot slot : Slot.values()) {
            JsonNode node = root.path(slot.label());
            if (!node.isObject()) {
                throw new IllegalArgumentException("router stats without " + slot.label());
            }
            slots.put(slot, new RouterStats.SlotStats(
                    node.path("requests").asLong(), node.path("serverErrors").asLong(),
                    node.path("p50Seconds").asDouble(), node.path("p99Seconds").asDouble(),
                    node.path("invalid").asLong(), node.path("invalidServerErrors").asLong(),
                    latency(node.path("latency")), node.path("inFlight").asLong()));
        }
        return new RouterStats(slots, counts(root.path("refused")), counts(root.path("invalid")));
    }

    /** null when the router sent none (an older router) */
    private static Latencies latency(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        List<Double> bounds = new ArrayList<>();
        node.path("upperBoundsSeconds").forEach(b -> bounds.add(b.asDouble()));
        List<Long> counts = new ArrayList<>();
        node.path("counts").forEach(c -> counts.add(c.asLong()));
        return new Latencies(bounds, counts);
    }

    private static Map<String, Long> counts(JsonNode node) {
        Map<String, Long> out = new java.util.TreeMap<>();
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }
}
