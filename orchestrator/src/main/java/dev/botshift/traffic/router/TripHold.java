package dev.botshift.traffic.router;

import dev.botshift.traffic.GreenGuard;

/**
 * Once the router's guard cut green, green stays cut: a change through the admin API that would give the tripped
 * guard's slot traffic again is refused, unless it arms the guard of another rollout (a new release; its split starts
 * the story again). Anything else goes through with the trip kept on record: backends (a replaced instance), the
 * rollback's all-to-blue, a guard disarmed or armed again by the same rollout. So a stale orchestrator (one that
 * decided before it saw the trip, or a split "corrected" back) can never undo the cut; the rollback is its only way on.
 */
final class TripHold {
    private TripHold() {
    }

    /**
     * @return {@code proposed}, with the trip of {@code current} kept unless another rollout arms its guard
     * @throws GuardTrippedException when the change would give the cut slot traffic again
     */
    static RouterConfig admit(RouterConfig current, RouterConfig proposed) {
        if (current.trip() == null) {
            return proposed;
        }
        GreenGuard next = proposed.guard();
        if (next != null && !next.rollout().equals(current.guard().rollout())) {
            return proposed; // another rollout's split, with its own guard
        }
        RouterConfig kept = proposed.withGuard(current.guard(), current.trip());
        if (kept.weights().of(current.guard().slot()) > 0) {
            throw new GuardTrippedException(current.trip().describe() + "; green stays at 0% until the rollout is "
                    + "rolled back (botshift resume or abort) and a new one arms its own guard");
        }
        return kept;
    }
}
