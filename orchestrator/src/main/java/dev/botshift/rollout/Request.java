package dev.botshift.rollout;

import java.time.Instant;

/**
 * A manual command (promote, pause, resume, abort) waiting for the rollout's driver to pick it up. The CLI adds it to
 * the store's inbox; the decider consumes it and records the answer with its id.
 *
 * @param release with {@code attempt}: the rollout it is meant for, or null for whichever is open (a pipeline names
 *                its own, so that its failure path never acts on another run's release)
 * @param attempt null for any attempt of {@code release}
 */
public record Request(String id, Kind kind, String by, Instant at, String release, Integer attempt) {
    public Request(String id, Kind kind, String by, Instant at) {
        this(id, kind, by, at, null, null);
    }

    /** Whether this request is meant for {@code s}'s rollout. */
    public boolean meantFor(RolloutState s) {
        return (release == null || release.equals(s.release())) && (attempt == null || attempt == s.attempt());
    }

    /** "release 2.0.0 attempt 1", for refusals. */
    public String target() {
        return "release " + release + (attempt == null ? "" : " attempt " + attempt);
    }

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
