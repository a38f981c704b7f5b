package dev.botshift.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The database the release's changelog runs against, and how the changelog is read.
 *
 * @param url         JDBC URL (PostgreSQL)
 * @param username    may be null when the URL carries it
 * @param password    secret: from {@code ${env:...}}; never logged, never stored in state
 * @param changelog   root changelog of the release, relative to the plan file
 * @param lockTimeout {@code SET lock_timeout} for every DDL statement (default 500ms)
 * @param ddlDeadline how long one statement may keep retrying on lock timeouts (default 5m)
 * @param phases      a phases file for changesets that cannot carry a label (relative to the plan file), or null
 * @param searchPath  folders or jars where classpath-relative includes are found (relative to the plan file)
 * @param classpath   jars with {@code customChange} classes (relative to the plan file)
 * @param parameters  changelog parameters ({@code ${name}}); values may be {@code ${env:...}}
 * @param app         the user the bots connect as, or null (the bots then get no credentials from Botshift)
 */
public record DatabaseSpec(
        String url,
        String username,
        String password,
        String changelog,
        Duration lockTimeout,
        Duration ddlDeadline,
        String phases,
        List<String> searchPath,
        List<String> classpath,
        Map<String, String> parameters,
        AppUserSpec app) {

    // Null-tolerant copies: a bad element is reported by the validator with its line, not as an NPE here.
    @JsonCreator
    public DatabaseSpec {
        searchPath = searchPath == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(searchPath));
        classpath = classpath == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(classpath));
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** A database without {@code app} (the bots get no credentials from Botshift). */
    public DatabaseSpec(String url, String username, String password, String changelog, Duration lockTimeout,
                        Duration ddlDeadline, String phases, List<String> searchPath, List<String> classpath,
                        Map<String, String> parameters) {
        this(url, username, password, changelog, lockTimeout, ddlDeadline, phases, searchPath, classpath, parameters,
                null);
    }

    /** A database whose changelog needs no phases file, search path, classpath or parameters. */
    public DatabaseSpec(String url, String username, String password, String changelog, Duration lockTimeout,
                        Duration ddlDeadline) {
        this(url, username, password, changelog, lockTimeout, ddlDeadline, null, null, null, null);
    }

    @Override
    public String toString() {
        return "DatabaseSpec[url=" + maskUrl(url) + ", username=" + username + ", password=" + (password == null ? "none" : "***")
                + ", changelog=" + changelog + ", lockTimeout=" + lockTimeout + ", ddlDeadline=" + ddlDeadline
                + ", phases=" + phases + ", searchPath=" + searchPath + ", classpath=" + classpath
                + ", parameters=" + parameters.keySet() + ", app=" + app + "]";
    }

    // A JDBC URL may carry the password as a query parameter (?password=...).
    private static String maskUrl(String url) {
        return url == null ? null : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
