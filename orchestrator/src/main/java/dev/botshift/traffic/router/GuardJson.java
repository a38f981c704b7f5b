package dev.botshift.traffic.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botshift.analysis.SequentialTest;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.Slot;
import dev.botshift.traffic.GreenGuard;
import dev.botshift.traffic.GuardTrip;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The guard's part of the config's JSON: {@code {"slot":"b","rollout":"<run id>","p0":0.0125,"p1":0.05,
 * "threshold":13.8,"blueFailingAbove":0.05,"tripped":{"at":"2026-12-03T02:00:00Z","requests":812,"errors":31,
 * "statistic":13.9}}} ({@code tripped} once it cut green). {@code "guard": null} in a change disarms it (a trip stays
 * on record: {@link TripHold}).
 */
final class GuardJson {
    private GuardJson() {
    }

    static ObjectNode toJson(GreenGuard guard, GuardTrip trip) {
        ObjectNode node = RouterConfigJson.JSON.createObjectNode();
        node.put("slot", guard.slot().label());
        node.put("rollout", guard.rollout());
        node.put("p0", guard.test().p0());
        node.put("p1", guard.test().p1());
        node.put("threshold", guard.threshold());
        node.put("blueFailingAbove", guard.blueFailingAbove());
        if (trip != null) {
            ObjectNode t = node.putObject("tripped");
            t.put("at", trip.at().toString());
            t.put("requests", trip.requests());
            t.put("errors", trip.errors());
            t.put("statistic", trip.statistic());
            // the hypotheses it tripped under, should the guard be armed again with others
            t.put("p0", trip.p0());
            t.put("p1", trip.p1());
            t.put("threshold", trip.threshold());
        }
        return node;
    }

    static RouterConfig merge(JsonNode node, String origin, RouterConfig base) {
        if (node.isNull()) {
            return base.withGuard(null, null);
        }
        if (!node.isObject()) {
            throw new InvalidInputException(origin + ": field guard must be an object or null");
        }
        String slotName = text(node, "slot", origin);
        Slot slot = java.util.Arrays.stream(Slot.values()).filter(s -> s.label().equals(slotName)).findFirst()
                .orElseThrow(() -> new InvalidInputException(origin + ": field guard.slot must be a or b"));
        double p0 = number(node, "p0", origin);
        double p1 = number(node, "p1", origin);
        double threshold = number(node, "threshold", origin);
        if (!(p0 > 0 && p0 < p1 && p1 < 1 && threshold > 0)) {
            throw new InvalidInputException(origin + ": field guard: needs 0 < p0 < p1 < 1 and a positive threshold");
        }
        // absent in a guard an older Botshift stored: it never holds
        double blueFailingAbove = node.has("blueFailingAbove") ? number(node, "blueFailingAbove", origin) : 1;
        if (!(blueFailingAbove > 0 && blueFailingAbove <= 1)) {
            throw new InvalidInputException(origin + ": field guard.blueFailingAbove must be a rate in (0, 1]");
        }
        GreenGuard guard = new GreenGuard(slot, text(node, "rollout", origin), new SequentialTest(p0, p1), threshold,
                blueFailingAbove);
        JsonNode t = node.get("tripped");
        GuardTrip trip = null;
        if (t != null && !t.isNull()) {
            try {
                trip = new GuardTrip(Instant.parse(t.path("at").asText()), t.path("requests").asLong(),
                        t.path("errors").asLong(), t.path("statistic").asDouble(),
                        t.path("p0").asDouble(p0), t.path("p1").asDouble(p1), t.path("threshold").asDouble(threshold));
            } catch (DateTimeParseException e) {
                throw new InvalidInputException(origin + ": field guard.tripped.at is not a time: " + e.getMessage());
            }
        }
        return base.withGuard(guard, trip);
    }

    private static String text(JsonNode node, String field, String origin) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new InvalidInputException(origin + ": field guard." + field + " is missing");
        }
        return v.asText();
    }

    private static double number(JsonNode node, String field, String origin) {
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber()) {
            throw new InvalidInputException(origin + ": field guard." + field + " must be a number");
        }
        return v.asDouble();
    }
}
