package dev.botshift.schema.liquibase;

import static dev.botshift.schema.liquibase.PgFixture.runPrepared;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.schema.ChangesetFailedException;
import dev.botshift.schema.ExpandRehearsal;
import dev.botshift.schema.RehearsalResult;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.testing.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The expand rehearsal on a real PostgreSQL with pg_stat_statements: what the database has on record (blue's
 * statements) is prepared against the pending expand inside a rolled-back transaction.
 */
@Slow
class ExpandRehearsalTest {
    /** Blue's release: already applied. */
    private static final String BLUE = """
            --liquibase formatted sql
            --changeset dev:001-chats labels:expand
            CREATE TABLE chats (chat_id bigint PRIMARY KEY, title text);
            CREATE TABLE messages (id bigserial PRIMARY KEY, chat_id bigint NOT NULL REFERENCES chats, body text);
            """;
    /** Blue joins the two tables naming {@code id} unqualified: only messages has one, until the expand adds it. */
    private static final String BLUE_JOIN = "SELECT id, title FROM messages JOIN chats USING (chat_id) WHERE chat_id = ?";
    @RegisterExtension
    static final PgFixture.PerClass pg = PgFixture.perClassWithStatementStats();
    @TempDir
    Path dir;

    /** Blue's schema applied and blue's statements run; returns the migrator of the release whose expand is next. */
    private LiquibaseSchemaMigrator blueServedThenGreen(String url, String greensExpand)
            throws Exception {
        Path changelog = dir.resolve("changelog.sql");
        Files.writeString(changelog, BLUE);
        new LiquibaseSchemaMigrator(PgFixture.spec(url, Duration.ofMillis(500)), changelog, line -> { })
                .apply(SchemaPhase.EXPAND);
        runPrepared(url, "INSERT INTO chats (chat_id, title) VALUES (?, 'general')", 7);
        runPrepared(url, "INSERT INTO messages (chat_id, body) VALUES (?, 'hi')", 7);
        runPrepared(url, BLUE_JOIN, 7);
        Files.writeString(changelog, BLUE + greensExpand);
        return new LiquibaseSchemaMigrator(PgFixture.spec(url, Duration.ofMillis(500)), changelog, line -> { });
    }

    @Test
    void aColumnThatMakesBluesJoinAmbiguousRefusesTheExpandAndNothingChanges() throws Exception {
        String url = pg.freshDatabase();
        ExpandRehearsal r = blueServedThenGreen(url, """
                --changeset dev:002-chat-id labels:expand
                ALTER TABLE chats ADD COLUMN id bigint;
                """).expandRehearsal();
        assertThat(r.unavailable()).isEmpty();

        RehearsalResult result = r.rehearse();

        assertThat(result).isInstanceOfSatisfying(RehearsalResult.Refused.class, refused -> {
            assertThat(refused.broken()).singleElement().satisfies(b -> {
                assertThat(b.statement()).isEqualTo(BLUE_JOIN.replace("?", "$1"));
                assertThat(b.error()).contains("column reference \"id\" is ambiguous").contains("42702");
            });
            assertThat(refused.prepared()).as("blue's inserts survive the new column").isGreaterThanOrEqualTo(2);
        });
        assertThat(result.describe(RehearsalResult.Of.EXPAND))
                .startsWith("expand refused by the rehearsal: blue runs `SELECT id, title FROM messages JOIN chats")
                .contains("which fails on the expanded schema");
        // nothing changed: no column, no expand changeset recorded, no lock left, blue's statement still runs
        assertThat(PgFixture.columns(url, "chats")).containsExactly("chat_id", "title");
        assertThat(PgFixture.appliedIds(url)).containsExactly("001-chats");
        assertThat(PgFixture.strings(url, "SELECT count(*)::text FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                + " WHERE c.relname IN ('chats', 'messages')")).containsExactly("0");
        runPrepared(url, BLUE_JOIN, 7);
    }

    @Test
    void aHarmlessExpandPassesRunsOnlyWhatChangesNamesAndChangesNothing() throws Exception {
        String url = pg.freshDatabase();
        ExpandRehearsal r = blueServedThenGreen(url, """
                --changeset dev:002-muted labels:expand
                ALTER TABLE chats ADD COLUMN muted boolean;
                UPDATE chats SET title = 'renamed' WHERE title IS NOT NULL;
                --changeset dev:003-index labels:expand runInTransaction:false
                CREATE INDEX CONCURRENTLY messages_chat ON messages (chat_id);
                --changeset dev:004-audit labels:expand
                CREATE TABLE audit (at timestamptz NOT NULL, what text);
                """).expandRehearsal();

        RehearsalResult result = r.rehearse();

        assertThat(result).isInstanceOfSatisfying(RehearsalResult.Passed.class, passed -> {
            assertThat(passed.prepared()).as("blue's join and inserts").isGreaterThanOrEqualTo(3);
            assertThat(passed.skippedSteps()).as("the backfill and the index are not run").isEqualTo(2);
        });
        assertThat(result.describe(RehearsalResult.Of.EXPAND)).startsWith("expand rehearsal passed: ")
                .contains("blue ran", "expanded schema");
        assertThat(PgFixture.columns(url, "chats")).containsExactly("chat_id", "title");
        assertThat(PgFixture.strings(url, "SELECT title FROM chats")).containsExactly("general");
        assertThat(PgFixture.strings(url, "SELECT count(*)::text FROM pg_tables WHERE tablename = 'audit'"))
                .containsExactly("0");
        assertThat(PgFixture.strings(url, "SELECT indexname FROM pg_indexes WHERE tablename = 'messages'"))
                .containsExactly("messages_pkey");
        assertThat(PgFixture.appliedIds(url)).containsExactly("001-chats");
    }

    @Test
    void anExpandThatFailsByItselfIsQuotedWithItsPasswordHidden() throws Exception {
        String url = pg.freshDatabase();
        ExpandRehearsal r = blueServedThenGreen(url, """
                --changeset dev:002-rotate labels:expand splitStatements:false
                CREATE FUNCTION rotate() RETURNS void LANGUAGE sql
                    AS $$ ALTER ROLE bots PASSWORD 'hunter2'; SELECT 1 FROM missing_table $$;
                """).expandRehearsal();

        assertThatThrownBy(r::rehearse).isInstanceOf(ChangesetFailedException.class)
                .hasMessageStartingWith("expand rehearsal: the expand itself fails at `CREATE FUNCTION rotate()")
                .hasMessageContaining("PASSWORD '…'").hasMessageContaining("missing_table\" does not exist")
                .hasMessageEndingWith("nothing was changed").hasMessageNotContaining("hunter2");
        assertThat(PgFixture.strings(url, "SELECT count(*)::text FROM pg_proc WHERE proname = 'rotate'"))
                .containsExactly("0");
    }

    @Test
    void withoutTheExtensionTheRehearsalIsSkippedWithItsReason() throws Exception {
        try (PgFixture plain = new PgFixture()) {
            String url = plain.freshDatabase();
            ExpandRehearsal r = blueServedThenGreen(url, """
                    --changeset dev:002-chat-id labels:expand
                    ALTER TABLE chats ADD COLUMN id bigint;
                    """).expandRehearsal();
            assertThat(r.unavailable()).hasValueSatisfying(why -> assertThat(why)
                    .contains("pg_stat_statements is not loaded").contains("shared_preload_libraries"));

            RehearsalResult result = r.rehearse();

            assertThat(result).isInstanceOf(RehearsalResult.Skipped.class);
            assertThat(result.describe(RehearsalResult.Of.EXPAND)).startsWith("expand rehearsal skipped: ")
                    .contains("shared_preload_libraries");
            assertThat(PgFixture.columns(url, "chats")).containsExactly("chat_id", "title");
        }
    }

    @Test
    void withNothingPendingThereIsNothingToRehearse() throws Exception {
        String url = pg.freshDatabase();
        RehearsalResult result = blueServedThenGreen(url, "").expandRehearsal().rehearse();
        assertThat(result).isInstanceOfSatisfying(RehearsalResult.Skipped.class, s -> assertThat(s.reason())
                .isEqualTo("no expand changeset is pending"));
    }
}
