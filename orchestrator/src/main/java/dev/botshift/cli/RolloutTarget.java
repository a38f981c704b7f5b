package dev.botshift.cli;

import dev.botshift.core.InvalidInputException;
import dev.botshift.rollout.RolloutState;

/**
 * Which rollout a command may act on: any (no {@code --release}), a release, or one attempt of a release. A pipeline
 * names the rollout it started, so that its failure path cannot roll back another run's release.
 *
 * @param release null for any
 * @param attempt null for any attempt of {@code release}
 */
record RolloutTarget(String release, Integer attempt) {
    static final RolloutTarget ANY = new RolloutTarget(null, null);

    static RolloutTarget of(String release, Integer attempt) {
        if (attempt != null && release == null) {
            throw new InvalidInputException("--attempt needs --release (an attempt is numbered within a release)");
        }
        if (attempt != null && attempt < 1) {
            throw new InvalidInputException("--attempt " + attempt + ": attempts are numbered from 1");
        }
        return new RolloutTarget(release, attempt);
    }

    boolean matches(RolloutState s) {
        return (release == null || release.equals(s.release())) && (attempt == null || attempt == s.attempt());
    }

    /** Refuses (exit 2) when the stored rollout is not the one named, saying which one it is. */
    void check(RolloutState s) {
        if (!matches(s)) {
            throw new InvalidInputException("refused: the rollout of " + s.app() + " in the state is release "
                    + s.release() + " attempt " + s.attempt() + " (" + s.phase().code() + "), not " + this);
        }
    }

    @Override
    public String toString() {
        return "release " + release + (attempt == null ? "" : " attempt " + attempt);
    }
}
