package dev.botshift.traffic.router;

import dev.botshift.core.Colour;
import dev.botshift.core.Weights;

import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the router does, as one immutable value: the split, the backends of each colour and the body field that
 * keeps a conversation on one colour. The router swaps whole values, so a request sees either the old or the new
 * config, never half of each.
 *
 * @param weights  the blue/green split in percent
 * @param backends base URIs per colour (both colours always present, possibly empty)
 * @param stickyBy a JSON path like {@code $.message.chat.id}, or {@code null} for no stickiness
 */
public record RouterConfig(Weights weights, Map<Colour, List<URI>> backends, String stickyBy) {

    public RouterConfig {
        Objects.requireNonNull(weights, "weights");
        EnumMap<Colour, List<URI>> copy = new EnumMap<>(Colour.class);
        for (Colour colour : Colour.values()) {
            copy.put(colour, List.copyOf(backends == null ? List.of() : backends.getOrDefault(colour, List.of())));
        }
        backends = Map.copyOf(copy);
        if (stickyBy != null && stickyBy.isBlank()) {
            stickyBy = null;
        }
        if (stickyBy != null) {
            StickyField.parse(stickyBy);
        }
    }

    /** All traffic to blue, no backends, not sticky: what a fresh router starts with. */
    public static RouterConfig initial() {
        return new RouterConfig(Weights.allTo(Colour.BLUE), Map.of(), null);
    }

    public List<URI> backendsOf(Colour colour) {
        return backends.get(colour);
    }

    public RouterConfig withWeights(Weights newWeights) {
        return new RouterConfig(newWeights, backends, stickyBy);
    }

    public RouterConfig withBackends(Colour colour, List<URI> uris) {
        EnumMap<Colour, List<URI>> copy = new EnumMap<>(backends);
        copy.put(colour, uris);
        return new RouterConfig(weights, copy, stickyBy);
    }

    public RouterConfig withStickyBy(String path) {
        return new RouterConfig(weights, backends, path);
    }

    /**
     * The share of green that can actually be served, in percent: a colour without backends gets nothing, whatever
     * its weight says, so that a half-configured router never sends a request into a void.
     */
    public int effectiveGreenPercent() {
        boolean blueServes = !backendsOf(Colour.BLUE).isEmpty() && weights.blue() > 0;
        boolean greenServes = !backendsOf(Colour.GREEN).isEmpty() && weights.green() > 0;
        if (!greenServes) {
            return 0;
        }
        return blueServes ? weights.green() : 100;
    }

    /** Whether any colour can take a request at all. */
    public boolean canServe() {
        return effectiveGreenPercent() > 0
                || (!backendsOf(Colour.BLUE).isEmpty() && weights.blue() > 0);
    }
}
