package dev.botshift.traffic.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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

    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** Reads {@code body} once: JSON object? key at {@code sticky} (null: any JSON object is valid)? */
    static Reading read(byte[] body, StickyField sticky) {
        JsonNode root;
        try {
            root = body.length == 0 ? null : JSON.readTree(body);
        } catch (IOException notJson) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            return new Reading(Optional.empty(), NOT_JSON);
        }
        if (sticky == null) {
            return new Reading(Optional.empty(), null);
        }
        Optional<String> key = sticky.valueIn(root);
        return new Reading(key, key.isPresent() ? null : NO_STICKY_KEY);
    }
}
