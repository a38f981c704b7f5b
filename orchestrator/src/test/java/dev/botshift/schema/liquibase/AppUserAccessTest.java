package dev.botshift.schema.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.schema.SchemaPhase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The preflight's look at the bots' own database user, on a real PostgreSQL: warnings that name the table and the
 * GRANT to run, and none once the rights are there (directly, through default privileges, or through a role).
 */
class AppUserAccessTest {
    @RegisterExtension
    static final PgFixture.PerClass pg = PgFixture.perClass();
    private static final AtomicInteger NEXT = new AtomicInteger();

    private static LiquibaseSchemaMigrator migrator(String url) throws Exception {
        return new LiquibaseSchemaMigrator(PgFixture.spec(url, Duration.ofMillis(500)),
                PgFixture.resource("phases/both.sql"), line -> { });
    }

    private static void sql(String url, String... statements) throws Exception {
        try (Connection c = PgFixture.connect(url); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** A role of its own per test: roles belong to the whole server. */
    private static String role(String url) throws Exception {
        String name = "bot_app_" + NEXT.incrementAndGet();
        sql(url, "CREATE ROLE " + name + " LOGIN");
        return name;
    }

    @Test
    void aRoleThatDoesNotExistIsNamed() throws Exception {
        String url = pg.freshDatabase();

        assertThat(migrator(url).appUserWarnings("no_such_bot_user")).singleElement().asString()
                .startsWith("database.app.username no_such_bot_user: no such role in the database");
    }

    @Test
    void tablesThisReleaseCreatesOutOfTheBotsReachAreSaidBeforeAnythingRuns() throws Exception {
        String url = pg.freshDatabase();
        String app = role(url);

        assertThat(migrator(url).appUserWarnings(app)).singleElement().asString()
                .contains("database.app " + app + " gets no rights on the tables postgres creates in schema public,"
                        + " and this release creates some")
                .contains("ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT SELECT, INSERT, UPDATE,"
                        + " DELETE ON TABLES TO " + app);

        sql(url, "ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT SELECT, INSERT ON TABLES TO " + app);
        assertThat(migrator(url).appUserWarnings(app)).isEmpty();
        migrator(url).apply(SchemaPhase.EXPAND);
        assertThat(migrator(url).appUserWarnings(app)).as("the table it created is the bots' too").isEmpty();
    }

    @Test
    void existingTablesTheBotsCannotReadAreNamed() throws Exception {
        String url = pg.freshDatabase();
        String app = role(url);
        LiquibaseSchemaMigrator m = migrator(url);
        m.apply(SchemaPhase.EXPAND);
        m.apply(SchemaPhase.CONTRACT);

        assertThat(migrator(url).appUserWarnings(app)).as("nothing pending creates a table: default privileges do not matter")
                .singleElement().asString()
                .startsWith("database.app " + app + " cannot read 1 table(s) of schema public: phased; the bots fail"
                        + " on them (GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + app);

        sql(url, "CREATE TABLE counted (id serial PRIMARY KEY, n int)", "CREATE TABLE identified"
                + " (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY)", "GRANT SELECT, INSERT ON counted, identified TO " + app);
        assertThat(migrator(url).appUserWarnings(app)).as("a serial's sequence, not an identity column's")
                .anySatisfy(w -> assertThat(w).startsWith("database.app " + app + " cannot use 1 sequence(s) of schema"
                        + " public: counted_id_seq; the bots' inserts that draw from them fail"));
        sql(url, "GRANT USAGE ON SEQUENCE counted_id_seq TO " + app);

        String group = role(url);
        sql(url, "GRANT SELECT ON phased TO " + group, "GRANT " + group + " TO " + app);
        assertThat(migrator(url).appUserWarnings(app)).as("through a role it is in").isEmpty();
    }

    @Test
    void aSuperuserOrTheMigrationUserItselfNeedsNothing() throws Exception {
        String url = pg.freshDatabase();
        String app = role(url);
        sql(url, "ALTER ROLE " + app + " SUPERUSER");

        assertThat(migrator(url).appUserWarnings(app)).isEmpty();
        assertThat(migrator(url).appUserWarnings("postgres")).isEmpty();
    }
}
