package dev.botshift.plan;

import java.time.Duration;

/**
 * The database the release's changelog runs against.
 *
 * @param url         JDBC URL (PostgreSQL)
 * @param username    may be null when the URL carries it
 * @param password    secret: from {@code ${env:...}}; never logged, never stored in state
 * @param changelog   root changelog of the release, relative to the plan file
 * @param lockTimeout {@code SET lock_timeout} for every DDL statement (default 500ms)
 * @param ddlDeadline how long one statement may keep retrying on lock timeouts (default 5m)
 */
public record DatabaseSpec(
        String url,
        String username,
        String password,
        String changelog,
        Duration lockTimeout,
        Duration ddlDeadline) {

    @Override
    public String toString() {
        return "DatabaseSpec[url=" + maskUrl(url) + ", username=" + username + ", password=" + (password == null ? "none" : "***")
                + ", changelog=" + changelog + ", lockTimeout=" + lockTimeout + ", ddlDeadline=" + ddlDeadline + "]";
    }

    // A JDBC URL may carry the password as a query parameter (?password=...).
    private static String maskUrl(String url) {
        return url == null ? null : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
