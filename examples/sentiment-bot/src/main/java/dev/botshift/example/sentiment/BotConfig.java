package dev.botshift.example.sentiment;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The bot's settings, read from its environment.
 *
 * @param port             HTTP port; 0 picks a free one
 * @param version          release version, e.g. {@code 2.0.0}; its major number picks the code path
 * @param slot             {@code a} or {@code b}: where Botshift runs it (not whether it is the new version)
 * @param dbUrl            JDBC URL of the database
 * @param dbUser           database user
 * @param dbPassword       database password; never printed ({@link #toString()} hides it)
 * @param faultRate        fraction of webhook requests that fail with 500 and store nothing
 * @param faultSilentRate  fraction of webhook requests that are stored and answered 200 but count as handler errors
 * @param faultAfter       time after start before faults begin
 * @param faultAt          wall-clock instant faults begin, or null; lets a benchmark start a fault in every replica at
 *                         one known moment, whenever each replica started
 * @param faultFile        faults happen only while this file exists, or null; lets a test start a fault at the moment it
 *                         chooses (say, once the rollout waits at a gate), whatever the machine's speed
 * @param faultDelay       while faults are on (after {@code faultAfter}/{@code faultAt}, while {@code faultFile}
 *                         exists), every webhook answer is this much later: a release that got slow
 */
public record BotConfig(
        int port,
        String version,
        String slot,
        String dbUrl,
        String dbUser,
        String dbPassword,
        double faultRate,
        double faultSilentRate,
        Duration faultAfter,
        Instant faultAt,
        java.nio.file.Path faultFile,
        Duration faultDelay) {

    public BotConfig {
        if (port < 0 || port > 65535) {
            throw new InvalidConfigException("PORT", "must be 0..65535, got " + port);
        }
        majorOf(version);
        if (!"a".equals(slot) && !"b".equals(slot)) {
            throw new InvalidConfigException("BOT_SLOT", "must be a or b (the slot it runs in), got '" + slot + "'");
        }
        if (dbUrl == null || !dbUrl.startsWith("jdbc:postgresql:")) {
            throw new InvalidConfigException("DB_URL", "must be a jdbc:postgresql: URL");
        }
        if (dbUser == null || dbUser.isBlank()) {
            throw new InvalidConfigException("DB_USER", "must be set");
        }
        checkRate("BOT_FAULT_RATE", faultRate);
        checkRate("BOT_FAULT_SILENT_RATE", faultSilentRate);
        if (faultAfter == null || faultAfter.isNegative()) {
            throw new InvalidConfigException("BOT_FAULT_AFTER", "must be a number of seconds >= 0");
        }
        if (faultAt != null && !faultAfter.isZero()) {
            throw new InvalidConfigException("BOT_FAULT_AT", "set BOT_FAULT_AT or BOT_FAULT_AFTER, not both");
        }
        dbPassword = dbPassword == null ? "" : dbPassword;
        if (faultDelay == null || faultDelay.isNegative() || faultDelay.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new InvalidConfigException("BOT_FAULT_DELAY_MS", "must be a number of milliseconds in [0, 60000]");
        }
    }

    /** Without a fault delay. */
    public BotConfig(int port, String version, String slot, String dbUrl, String dbUser, String dbPassword,
                     double faultRate, double faultSilentRate, Duration faultAfter, Instant faultAt,
                     java.nio.file.Path faultFile) {
        this(port, version, slot, dbUrl, dbUser, dbPassword, faultRate, faultSilentRate, faultAfter, faultAt,
                faultFile, Duration.ZERO);
    }

    /** Reads the configuration from environment variables (see the module README for the list). */
    public static BotConfig fromEnv(Map<String, String> env) {
        return new BotConfig(
                intVar(env, "PORT", "0"),
                required(env, "BOT_VERSION"),
                required(env, "BOT_SLOT"),
                required(env, "DB_URL"),
                required(env, "DB_USER"),
                env.getOrDefault("DB_PASSWORD", ""),
                doubleVar(env, "BOT_FAULT_RATE"),
                doubleVar(env, "BOT_FAULT_SILENT_RATE"),
                Duration.ofMillis(Math.round(doubleVar(env, "BOT_FAULT_AFTER") * 1000)),
                instantVar(env, "BOT_FAULT_AT"),
                env.getOrDefault("BOT_FAULT_FILE", "").isBlank() ? null : java.nio.file.Path.of(env.get("BOT_FAULT_FILE")),
                Duration.ofMillis(Math.round(doubleVar(env, "BOT_FAULT_DELAY_MS"))));
    }

    /** A copy with other fault settings: tests and demos flip faults without repeating the rest. */
    public BotConfig withFaults(double rate, double silentRate, Duration after) {
        return new BotConfig(port, version, slot, dbUrl, dbUser, dbPassword, rate, silentRate, after, null, null);
    }

    /** The major version number: 1 runs the v1 code path, 2 and above the v2 path. */
    public int major() {
        return majorOf(version);
    }

    @Override
    public String toString() {
        return "BotConfig[port=" + port + ", version=" + version + ", slot=" + slot + ", dbUrl=" + dbUrl
                + ", dbUser=" + dbUser + ", dbPassword=***, faultRate=" + faultRate
                + ", faultSilentRate=" + faultSilentRate + ", faultAfter=" + faultAfter + ", faultAt=" + faultAt
                + ", faultDelay=" + faultDelay + "]";
    }

    private static int majorOf(String version) {
        if (version == null || !version.matches("\\d+(\\.\\d+){0,2}([-+].*)?")) {
            throw new InvalidConfigException("BOT_VERSION", "must be a version like 1.0.0, got '" + version + "'");
        }
        int major = Integer.parseInt(version.split("[.+-]", 2)[0]);
        if (major < 1) {
            throw new InvalidConfigException("BOT_VERSION", "major version must be 1 or more, got '" + version + "'");
        }
        return major;
    }

    private static void checkRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new InvalidConfigException(name, "must be a number in [0, 1], got " + rate);
        }
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new InvalidConfigException(name, "must be set");
        }
        return value.trim();
    }

    private static int intVar(Map<String, String> env, String name, String fallback) {
        String value = env.getOrDefault(name, fallback).trim();
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(name, "must be an integer, got '" + value + "'");
        }
    }

    private static Instant instantVar(Map<String, String> env, String name) {
        String value = env.getOrDefault(name, "").trim();
        if (value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidConfigException(name, "must be an ISO-8601 instant like 2026-01-31T12:00:00.250Z, got '"
                    + value + "'");
        }
    }

    private static double doubleVar(Map<String, String> env, String name) {
        String value = env.getOrDefault(name, "0").trim();
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(name, "must be a number, got '" + value + "'");
        }
    }
}
