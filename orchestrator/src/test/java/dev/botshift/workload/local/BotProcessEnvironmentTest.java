package dev.botshift.workload.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import dev.botshift.plan.AppUserSpec;
import dev.botshift.plan.DatabaseSpec;
import dev.botshift.testing.Slow;
import dev.botshift.workload.BotDatabaseEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A real bot process, as {@code /proc/<pid>/environ} shows it: the database in every form, the bots' own user and
 * password, and neither the migration user's password nor anything else of the orchestrator's environment.
 */
@Slow
class BotProcessEnvironmentTest extends OneBotTest {
    private static final String MIGRATION_PASSWORD = "MIGRATION-s3cret-77";

    @Test
    void aStartedBotHasItsOwnDatabaseUserAndNotTheMigrationPassword() throws Exception {
        DatabaseSpec db = new DatabaseSpec("jdbc:postgresql://127.0.0.1:5432/notes?password=" + MIGRATION_PASSWORD,
                "migrator", MIGRATION_PASSWORD, "changelog.yaml", Duration.ofMillis(500), Duration.ofMinutes(5), null,
                null, null, null, new AppUserSpec("notes_app", "NOTES_APP_PASSWORD"));
        Map<String, String> environment = Map.of("NOTES_APP_PASSWORD", "app-pw-1", "DB_PASSWORD", MIGRATION_PASSWORD);
        workloads(TestBots.spec(1, Map.of("LOG_LEVEL", "info")), BotDatabaseEnvironment.of(db, environment));

        workloads.start(Slot.A, "1.0.0", 1);

        long pid = RecordedInstances.pidAt(stateDir, "bot", Slot.A, 0);
        String raw = Files.readString(Path.of("/proc", Long.toString(pid), "environ"), StandardCharsets.ISO_8859_1);
        List<String> environ = Arrays.asList(raw.split("\0"));
        assertThat(environ).contains("DB_URL=jdbc:postgresql://127.0.0.1:5432/notes",
                "DATABASE_URL=postgresql://127.0.0.1:5432/notes", "DB_HOST=127.0.0.1", "DB_PORT=5432",
                "DB_NAME=notes", "DB_USER=notes_app", "DB_PASSWORD=app-pw-1", "LOG_LEVEL=info", "BOT_SLOT=a",
                "BOT_VERSION=1.0.0", "PGAPPNAME=bot 1.0.0", "PGHOST=127.0.0.1", "PGPORT=5432", "PGDATABASE=notes",
                "PGUSER=notes_app", "PGPASSWORD=app-pw-1").anyMatch(v -> v.startsWith("PORT="));
        assertThat(raw).doesNotContain(MIGRATION_PASSWORD).doesNotContain("migrator");
        // nothing of the orchestrator's own environment but the basics any program needs
        assertThat(environ).allMatch(v -> v.isEmpty() || allowed(v.substring(0, v.indexOf('='))), "known variable");
    }

    private static boolean allowed(String name) {
        return dev.botshift.os.ChildEnvironment.PASSED_THROUGH.contains(name) || name.startsWith("DB_")
                || name.startsWith("PG")
                || List.of("DATABASE_URL", "PORT", "BOT_SLOT", "BOT_VERSION", "LOG_LEVEL").contains(name);
    }
}
