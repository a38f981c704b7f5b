package dev.botshift.workload;

import dev.botshift.plan.AppUserSpec;
import dev.botshift.plan.DatabaseSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything a bot is told about its database (docs/bot-contract.md), in one place: the JDBC URL for the JVM, the
 * same database as a libpq URL and as host, port and name for every other language (also as libpq's own
 * {@code PG*} variables), and the bots' own user ({@code database.app}). The migration user's name and password are
 * deliberately absent: they reach Liquibase only.
 *
 * <p>A later addition (an {@code application_name} per colour, say) belongs here too.
 */
public final class BotDatabaseEnvironment {
    public static final String JDBC_URL = "DB_URL";
    public static final String URL = "DATABASE_URL";
    public static final String HOST = "DB_HOST";
    public static final String PORT = "DB_PORT";
    public static final String NAME = "DB_NAME";
    public static final String USER = "DB_USER";
    public static final String PASSWORD = "DB_PASSWORD";
    /**
     * libpq's own variables, the defaults of every client built on it or copying it (psycopg, asyncpg,
     * node-postgres, pgx, psql): {@code connect(DATABASE_URL)} then logs in as the bots' user, as on a platform that
     * puts the credentials in the URL. The same values as the {@code DB_*} ones.
     */
    public static final String LIBPQ_HOST = "PGHOST";
    public static final String LIBPQ_PORT = "PGPORT";
    public static final String LIBPQ_DATABASE = "PGDATABASE";
    public static final String LIBPQ_USER = "PGUSER";
    public static final String LIBPQ_PASSWORD = "PGPASSWORD";
    /** Ours to libpq's, in order (a Deployment's env must list them the same way every time). */
    private static final List<Map.Entry<String, String>> LIBPQ_NAMES = List.of(Map.entry(HOST, LIBPQ_HOST),
            Map.entry(PORT, LIBPQ_PORT), Map.entry(NAME, LIBPQ_DATABASE), Map.entry(USER, LIBPQ_USER),
            Map.entry(PASSWORD, LIBPQ_PASSWORD));

    /** {@code jdbc:postgresql://hosts/name?params}, {@code jdbc:postgresql:name} or {@code jdbc:postgresql:/}. */
    private static final Pattern JDBC = Pattern.compile("jdbc:postgresql:(?://([^/?]*))?/?([^?]*)(?:\\?(.*))?");
    /** Query parameters that carry a credential: the migration user's, never the bots'. */
    private static final Pattern CREDENTIAL = Pattern.compile("(?i)(user|password|sslpassword)=.*");

    private BotDatabaseEnvironment() {
    }

    /**
     * The bots' database variables, without the password: what may be written in plain text (a Deployment's env).
     * A URL Botshift cannot take apart gives {@code DB_URL} alone.
     */
    public static Map<String, String> plain(DatabaseSpec db) {
        Map<String, String> env = new LinkedHashMap<>();
        Matcher m = JDBC.matcher(db.url());
        if (!m.matches()) {
            env.put(JDBC_URL, db.url());
            return env;
        }
        String hosts = m.group(1) == null || m.group(1).isEmpty() ? "localhost" : m.group(1);
        String name = m.group(2);
        String params = withoutCredentials(m.group(3));
        env.put(JDBC_URL, "jdbc:postgresql://" + hosts + "/" + name + (params.isEmpty() ? "" : "?" + params));
        env.put(URL, "postgresql://" + hosts + "/" + name);
        String first = hosts.split(",")[0];
        int colon = first.lastIndexOf(':');
        boolean hasPort = colon > 0 && !first.endsWith("]");
        String host = hasPort ? first.substring(0, colon) : first;
        env.put(HOST, host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host);
        env.put(PORT, hasPort ? first.substring(colon + 1) : "5432");
        if (!name.isEmpty()) {
            env.put(NAME, name);
        }
        AppUserSpec app = db.app();
        if (app != null && app.username() != null) {
            env.put(USER, app.username());
        }
        return withLibpqNames(env);
    }

    /** {@link #plain} and the bots' password, read from the variable {@code database.app.passwordEnv} names. */
    public static Map<String, String> of(DatabaseSpec db, Map<String, String> environment) {
        Map<String, String> env = plain(db);
        AppUserSpec app = db.app();
        if (app != null && app.passwordEnv() != null && environment.get(app.passwordEnv()) != null) {
            env.put(PASSWORD, environment.get(app.passwordEnv()));
        }
        return withLibpqNames(env);
    }

    /** Each {@code DB_*} value that is set, also under libpq's name: one rule for both. */
    private static Map<String, String> withLibpqNames(Map<String, String> env) {
        for (Map.Entry<String, String> name : LIBPQ_NAMES) {
            if (env.containsKey(name.getKey())) {
                env.put(name.getValue(), env.get(name.getKey()));
            }
        }
        return env;
    }

    private static String withoutCredentials(String query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        StringBuilder kept = new StringBuilder();
        for (String param : query.split("&")) {
            if (!param.isEmpty() && !CREDENTIAL.matcher(param).matches()) {
                kept.append(kept.isEmpty() ? "" : "&").append(param);
            }
        }
        return kept.toString();
    }
}
