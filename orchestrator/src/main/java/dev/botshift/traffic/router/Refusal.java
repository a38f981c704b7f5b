package dev.botshift.traffic.router;

/**
 * Why the router refused a webhook request before routing it (the reasons it counts refusals by, never by colour:
 * a refused request has no slot). Missing credentials are a 401, wrong or stale ones a 403.
 */
public enum Refusal {
    /** The platform's header (secret token or signature, and Slack's timestamp) is absent. */
    MISSING("missing", 401),
    /** The token or signature does not match the secret. */
    MISMATCH("mismatch", 403),
    /** Slack: the signed timestamp is outside the replay window. */
    STALE("stale", 403);

    private final String label;
    private final int status;

    Refusal(String label, int status) {
        this.label = label;
        this.status = status;
    }

    public String label() {
        return label;
    }

    public int status() {
        return status;
    }
}
