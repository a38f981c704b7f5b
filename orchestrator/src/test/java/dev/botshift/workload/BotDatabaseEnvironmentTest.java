package dev.botshift.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.plan.AppUserSpec;
import dev.botshift.plan.DatabaseSpec;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BotDatabaseEnvironmentTest {
    private static DatabaseSpec db(String url, AppUserSpec app) {
        return new DatabaseSpec(url, "migrator", "MIGRATION-pw", "changelog.yaml", Duration.ofMillis(500),
                Duration.ofMinutes(5), null, null, null, null, app);
    }

    @Test
    void theBotsGetTheirOwnUserAndTheDatabaseInEveryFormNeverTheMigrationUser() {
        Map<String, String> env = BotDatabaseEnvironment.of(
                db("jdbc:postgresql://db.internal:6543/notes?sslmode=require", new AppUserSpec("notes_app", "APP_PW")),
                Map.of("APP_PW", "app-pw", "DB_PASSWORD", "MIGRATION-pw"));

        assertThat(env).containsExactly(
                Map.entry("DB_URL", "jdbc:postgresql://db.internal:6543/notes?sslmode=require"),
                Map.entry("DATABASE_URL", "postgresql://db.internal:6543/notes"),
                Map.entry("DB_HOST", "db.internal"),
                Map.entry("DB_PORT", "6543"),
                Map.entry("DB_NAME", "notes"),
                Map.entry("DB_USER", "notes_app"),
                Map.entry("PGHOST", "db.internal"),
                Map.entry("PGPORT", "6543"),
                Map.entry("PGDATABASE", "notes"),
                Map.entry("PGUSER", "notes_app"),
                Map.entry("DB_PASSWORD", "app-pw"),
                Map.entry("PGPASSWORD", "app-pw"));
    }

    @Test
    void withoutDatabaseAppTheBotsGetNoCredentialsAtAll() {
        Map<String, String> env = BotDatabaseEnvironment.of(db("jdbc:postgresql://127.0.0.1/bot", null),
                Map.of("DB_PASSWORD", "MIGRATION-pw"));

        assertThat(env).doesNotContainKeys("DB_USER", "DB_PASSWORD", "PGUSER", "PGPASSWORD").containsEntry("DB_PORT", "5432")
                .containsEntry("DATABASE_URL", "postgresql://127.0.0.1/bot");
        assertThat(env.values()).noneMatch(v -> v.contains("migrator") || v.contains("MIGRATION-pw"));
    }

    @Test
    void credentialsInTheUrlAreTheMigrationUsersAndAreTakenOut() {
        Map<String, String> env = BotDatabaseEnvironment.plain(
                db("jdbc:postgresql://h1:5432,h2:5433/bot?user=migrator&password=MIGRATION-pw&ssl=true", null));

        assertThat(env.get("DB_URL")).isEqualTo("jdbc:postgresql://h1:5432,h2:5433/bot?ssl=true");
        assertThat(env.get("DATABASE_URL")).isEqualTo("postgresql://h1:5432,h2:5433/bot");
        assertThat(env.get("DB_HOST")).isEqualTo("h1");
        assertThat(env.get("DB_PORT")).isEqualTo("5432");
    }

    @Test
    void shortFormsAndIpv6AreTakenApart() {
        assertThat(BotDatabaseEnvironment.plain(db("jdbc:postgresql:notes", null)))
                .containsEntry("DATABASE_URL", "postgresql://localhost/notes").containsEntry("DB_HOST", "localhost")
                .containsEntry("DB_PORT", "5432").containsEntry("DB_NAME", "notes");
        assertThat(BotDatabaseEnvironment.plain(db("jdbc:postgresql://[::1]:5433/notes", null)))
                .containsEntry("DB_HOST", "::1").containsEntry("DB_PORT", "5433");
        assertThat(BotDatabaseEnvironment.plain(db("jdbc:postgresql://[::1]/notes", null)))
                .containsEntry("DB_HOST", "::1").containsEntry("DB_PORT", "5432");
    }
}
