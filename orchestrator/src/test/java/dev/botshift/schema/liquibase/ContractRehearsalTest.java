package dev.botshift.schema.liquibase;

import static dev.botshift.schema.liquibase.PgFixture.runPrepared;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.schema.ChangesetFailedException;
import dev.botshift.schema.ContractRehearsal;
import dev.botshift.schema.RehearsalResult;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.testing.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract rehearsal on a real PostgreSQL with pg_stat_statements: what green ran while it served alone is
 * prepared against the contracted schema inside a rolled-back transaction.
 */
@Slow
class ContractRehearsalTest {
    private static final String CHANGELOG = """
            --liquibase formatted sql
            --changeset dev:001-messages labels:expand
            CREATE TABLE messages (id bigserial PRIMARY KEY, chat_id bigint NOT NULL, body text, created_at timestamptz);
            --changeset dev:002-drop-created-at labels:contract
            ALTER TABLE messages DROP COLUMN created_at;
            --changeset dev:003-index labels:contract runInTransaction:false
            CREATE INDEX CONCURRENTLY messages_chat ON messages (chat_id);
            --changeset dev:004-backfill labels:contract runInTransaction:false splitStatements:false
            --comment: botshift:accept unclassified-statement a batched backfill
            DO $$ BEGIN UPDATE messages SET body = '' WHERE body IS NULL; COMMIT; END $$;
            --changeset dev:005-not-null labels:contract
            ALTER TABLE messages ALTER COLUMN body SET NOT NULL;
            """;
    @RegisterExtension
    static final PgFixture.PerClass pg = PgFixture.perClassWithStatementStats();
    @TempDir
    Path dir;

    private LiquibaseSchemaMigrator expanded(String url) throws Exception {
        Path changelog = dir.resolve("changelog.sql");
        Files.writeString(changelog, CHANGELOG);
        LiquibaseSchemaMigrator m = new LiquibaseSchemaMigrator(PgFixture.spec(url, Duration.ofMillis(500)), changelog,
                line -> { });
        m.apply(SchemaPhase.EXPAND);
        return m;
    }

    @Test
    void aStatementReadingADroppedColumnRefusesTheContractAndNothingChanges() throws Exception {
        String url = pg.freshDatabase();
        ContractRehearsal r = expanded(url).rehearsal();
        assertThat(r.unavailable()).isEmpty();
        assertThat(r.startRecording()).hasValueSatisfying(start -> assertThat(start.recording()).isTrue());
        assertThat(r.startRecording()).as("once per rollout").isEmpty();
        runPrepared(url, "INSERT INTO messages (chat_id, body) VALUES (?, 'hi')", 7);
        runPrepared(url, "SELECT max(created_at) FROM messages WHERE chat_id = ?", 7);

        RehearsalResult result = r.rehearse();

        assertThat(result).isInstanceOf(RehearsalResult.Refused.class);
        RehearsalResult.Refused refused = (RehearsalResult.Refused) result;
        assertThat(refused.broken()).singleElement().satisfies(b -> {
            assertThat(b.statement()).isEqualTo("SELECT max(created_at) FROM messages WHERE chat_id = $1");
            assertThat(b.error()).contains("column \"created_at\" does not exist").contains("42703");
        });
        assertThat(refused.prepared()).as("the INSERT survives the contract").isEqualTo(1);
        assertThat(result.describe()).contains("max(created_at)").contains("does not exist");
        // nothing changed: the column stays, no contract changeset recorded, no index built, nothing left prepared
        assertThat(PgFixture.columns(url, "messages")).containsExactly("id", "chat_id", "body", "created_at");
        assertThat(PgFixture.appliedIds(url)).containsExactly("001-messages");
        assertThat(PgFixture.strings(url, "SELECT indexname FROM pg_indexes WHERE tablename = 'messages'"))
                .containsExactly("messages_pkey");
        assertThat(PgFixture.strings(url, "SELECT count(*)::text FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                + " WHERE c.relname = 'messages'")).containsExactly("0");
    }

    @Test
    void statementsThatSurviveTheContractPassAndWhatBlueRanBeforeTheRecordingIsNotGreens() throws Exception {
        String url = pg.freshDatabase();
        ContractRehearsal r = expanded(url).rehearsal();
        runPrepared(url, "SELECT created_at FROM messages WHERE chat_id = ? AND id > 0", 1); // blue, before green served alone
        r.startRecording();
        runPrepared(url, "INSERT INTO messages (chat_id, body) VALUES (?, 'hello')", 3);
        runPrepared(url, "SELECT body FROM messages WHERE chat_id = ? ORDER BY id DESC LIMIT 1", 3);

        RehearsalResult result = r.rehearse();

        assertThat(result).isInstanceOf(RehearsalResult.Passed.class);
        RehearsalResult.Passed passed = (RehearsalResult.Passed) result;
        assertThat(passed.prepared()).isEqualTo(2);
        assertThat(passed.skippedSteps()).as("the index, the backfill (it COMMITs) and SET NOT NULL are not run")
                .isEqualTo(3);
        assertThat(PgFixture.columns(url, "messages")).contains("created_at");
        assertThat(PgFixture.appliedIds(url)).containsExactly("001-messages");
        assertThat(PgFixture.strings(url, "SELECT count(*)::text FROM messages WHERE body = 'hello'"))
                .as("green's row stays: the rehearsal changed no data").containsExactly("1");
    }

    @Test
    void aContractThatItselfFailsHoldsWithItsErrorAndChangesNothing() throws Exception {
        String url = pg.freshDatabase();
        LiquibaseSchemaMigrator m = expanded(url);
        try (Connection c = PgFixture.connect(url)) {
            c.createStatement().execute("ALTER TABLE messages DROP COLUMN created_at"); // done by hand already
        }
        m.rehearsal().startRecording();
        assertThatThrownBy(() -> m.rehearsal().rehearse()).isInstanceOf(ChangesetFailedException.class)
                .hasMessageContaining("the contract itself fails")
                .hasMessageContaining("created_at")
                .hasMessageContaining("nothing was changed");
        assertThat(PgFixture.appliedIds(url)).containsExactly("001-messages");
    }

    @Test
    void withoutTheExtensionTheRehearsalIsSkippedWithItsReason() throws Exception {
        try (PgFixture plain = new PgFixture()) {
            String url = plain.freshDatabase();
            ContractRehearsal r = expanded(url).rehearsal();
            assertThat(r.unavailable()).hasValueSatisfying(why -> assertThat(why)
                    .contains("pg_stat_statements is not loaded").contains("shared_preload_libraries"));
            assertThat(r.startRecording()).hasValueSatisfying(start -> {
                assertThat(start.recording()).isFalse();
                assertThat(start.detail()).contains("will be skipped").contains("pg_stat_statements is not loaded");
            });
            runPrepared(url, "SELECT max(created_at) FROM messages WHERE chat_id = ?", 1);

            RehearsalResult result = r.rehearse();

            assertThat(result).isInstanceOf(RehearsalResult.Skipped.class);
            assertThat(result.describe()).contains("skipped").contains("shared_preload_libraries");
        }
    }

    @Test
    void withoutARecordingTheRehearsalSaysItDoesNotKnowWhatGreenRan() throws Exception {
        String url = pg.freshDatabase();
        RehearsalResult result = expanded(url).rehearsal().rehearse();
        assertThat(result).isInstanceOf(RehearsalResult.Skipped.class);
        assertThat(result.describe()).contains("nothing was recorded");
    }
}
