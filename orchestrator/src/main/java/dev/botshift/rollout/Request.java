package dev.botshift.rollout;

import java.time.Instant;

/**
 * A manual command (promote, pause, resume, abort) waiting for the running deploy to pick it up. The CLI appends
 * requests to the state document; the decider consumes them.
 */
public record Request(String id, Kind kind, String by, Instant at) {
    public enum Kind {
        PROMOTE, PROMOTE_FULL, PAUSE, RESUME, ABORT;

        /** Promote and promote --full. */
        public boolean promotes() {
            return this == PROMOTE || this == PROMOTE_FULL;
        }

        public String text() {
            return this == PROMOTE_FULL ? "promote --full" : name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
