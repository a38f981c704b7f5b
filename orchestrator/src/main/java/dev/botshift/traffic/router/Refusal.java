package dev.botshift.traffic.router;

import java.util.Locale;

/**
 * Why the router refused a webhook request before routing it (the reasons it counts refusals by, never by colour:
 * a refused request has no slot). Missing credentials are a 401, wrong or stale ones a 403.
 */
public enum Refusal {
    /** The platform's header (secret token or signature, and Slack's timestamp) is absent. */
    MISSING(401),
    /** The token or signature does not match the secret. */
    MISMATCH(403),
    /** Slack: the signed timestamp is outside the replay window. */
    STALE(403);

    private final int status;

    Refusal(int status) {
        this.status = status;
    }

    /** The constant's name in lower case: how metrics and logs name the reason. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public int status() {
        return status;
    }
}
