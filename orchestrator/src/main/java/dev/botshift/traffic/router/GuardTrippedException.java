package dev.botshift.traffic.router;

/**
 * The router refused to give green traffic again after its guard cut it (admin API: 409 Conflict). The rollout's
 * next look at the router sees the trip and rolls back.
 */
public final class GuardTrippedException extends IllegalStateException {
    public GuardTrippedException(String message) {
        super(message);
    }
}
