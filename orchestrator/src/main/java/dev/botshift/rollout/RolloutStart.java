package dev.botshift.rollout;

import dev.botshift.core.InvalidInputException;
import java.time.Instant;

/** What {@code botshift deploy} does given what is stored for the app: pure. */
public sealed interface RolloutStart {

    /** A new rollout, to be stored before anything runs. */
    record Fresh(RolloutState state) implements RolloutStart { }

    /** The same release is already under way (e.g. the previous deploy was killed): carry on. */
    record Continue(RolloutState state) implements RolloutStart { }

    /**
     * The release is already the stable version: nothing to do. {@code state} is the last rollout: the release's own,
     * or, when a later one was rolled back, that one (blue still runs the release).
     */
    record AlreadyStable(RolloutState state) implements RolloutStart { }

    static RolloutStart decide(RolloutState existing, String app, String release, String planFile, String runId,
                               Instant now) {
        if (existing == null) {
            return new Fresh(RolloutState.begin(app, release, runId, 1, planFile, null, null, null, now));
        }
        boolean same = existing.release().equals(release);
        if (!existing.phase().terminal()) {
            if (same) {
                return new Continue(existing);
            }
            throw new InvalidInputException("a rollout of " + app + " " + existing.release() + " is in progress ("
                    + existing.phase().code() + "): run 'botshift resume " + app + "' or 'botshift abort " + app
                    + "' before deploying " + release);
        }
        if (existing.phase() instanceof Phase.Succeeded) {
            if (same) {
                return new AlreadyStable(existing);
            }
            return new Fresh(RolloutState.begin(app, release, runId, 1, planFile, existing.candidate(),
                    existing.release(), existing.planFile(), now));
        }
        // rolled back: blue is still the stable one, and deploying it again would roll it out next to itself
        if (release.equals(existing.stableVersion())) {
            return new AlreadyStable(existing);
        }
        // a retry of the same release is a fresh attempt
        int attempt = same ? existing.attempt() + 1 : 1;
        return new Fresh(RolloutState.begin(app, release, runId, attempt, planFile, existing.stable(),
                existing.stableVersion(), existing.stablePlanFile(), now));
    }
}
