package dev.botshift.schema.lightlock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.plan.DatabaseSpec;
import dev.botshift.schema.ApplyResult;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.schema.liquibase.LiquibaseSchemaMigrator;
import dev.botshift.testing.Slow;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each recognised form, on real PostgreSQL: the lock-light run executes the expected statements and leaves exactly
 * the schema the plain form (opted out with {@code botshift:plain}, run by Liquibase) leaves; Liquibase then sees the
 * changeset as applied (same checksum).
 */
@Slow
class LockLightEquivalenceTest {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static EmbeddedPostgres pg;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.builder().setServerConfig("max_prepared_transactions", "2").start();
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    enum Form {
        SQL_SET_NOT_NULL("sql", "ALTER TABLE child ALTER COLUMN code SET NOT NULL;", "VALIDATE CONSTRAINT botshift_nn_code"),
        YAML_ADD_NOT_NULL("yaml", "- addNotNullConstraint: {tableName: child, columnName: code, columnDataType: text}",
                "VALIDATE CONSTRAINT botshift_nn_code"),
        SQL_FOREIGN_KEY("sql", "ALTER TABLE child ADD CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id);",
                "VALIDATE CONSTRAINT child_parent_fk"),
        YAML_FOREIGN_KEY("yaml", "- addForeignKeyConstraint: {baseTableName: child, baseColumnNames: parent_id, "
                + "referencedTableName: parent, referencedColumnNames: id, constraintName: child_parent_fk}",
                "VALIDATE CONSTRAINT child_parent_fk"),
        SQL_CHECK("sql", "ALTER TABLE child ADD CONSTRAINT child_id_positive CHECK (id > 0);",
                "VALIDATE CONSTRAINT child_id_positive"),
        SQL_UNIQUE("sql", "ALTER TABLE child ADD CONSTRAINT child_code_uq UNIQUE (code);", "UNIQUE USING INDEX child_code_uq"),
        YAML_UNIQUE("yaml", "- addUniqueConstraint: {tableName: child, columnNames: code, constraintName: child_code_uq}",
                "UNIQUE USING INDEX child_code_uq"),
        SQL_CREATE_INDEX("sql", "CREATE INDEX child_code_idx ON child (code);", "CREATE INDEX CONCURRENTLY"),
        YAML_CREATE_INDEX("yaml", "- createIndex: {tableName: child, indexName: child_code_idx, columns: [{column: {name: code}}]}",
                "CREATE INDEX CONCURRENTLY"),
        SQL_DROP_INDEX("sql", "DROP INDEX child_note_idx;", "DROP INDEX CONCURRENTLY"),
        YAML_DROP_INDEX("yaml", "- dropIndex: {tableName: child, indexName: child_note_idx}", "DROP INDEX CONCURRENTLY");

        final String format;
        final String change;
        final String marker;

        Form(String format, String change, String marker) {
            this.format = format;
            this.change = change;
            this.marker = marker;
        }
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void lockLightFormLeavesTheSameSchemaAsThePlainForm(Form form) throws Exception {
        String light = freshDatabase();
        String plain = freshDatabase();
        Path lightLog = changelog(form, "lock-light run");
        Path plainLog = changelog(form, "botshift:plain compare with Liquibase");
        migrator(light, lightLog, new ArrayList<>()).apply(SchemaPhase.EXPAND);
        migrator(plain, plainLog, new ArrayList<>()).apply(SchemaPhase.EXPAND);

        LiquibaseSchemaMigrator lightContract = migrator(light, lightLog, new ArrayList<>());
        String preview = lightContract.previewSql(SchemaPhase.CONTRACT);
        assertThat(preview).contains("lock-light").contains(form.marker);
        assertThat(migrator(plain, plainLog, new ArrayList<>()).previewSql(SchemaPhase.CONTRACT))
                .doesNotContain("lock-light").doesNotContain(form.marker);

        List<String> progress = new ArrayList<>();
        ApplyResult result = migrator(light, lightLog, progress).apply(SchemaPhase.CONTRACT);
        migrator(plain, plainLog, new ArrayList<>()).apply(SchemaPhase.CONTRACT);

        assertThat(result.applied()).containsExactly("form");
        assertThat(progress).anyMatch(line -> line.contains("lock-light"));
        assertThat(schema(light)).isEqualTo(schema(plain)).isNotEqualTo(List.of());
        // Recorded as Liquibase records it: a second run (Liquibase validates checksums) has nothing to do.
        assertThat(migrator(light, lightLog, new ArrayList<>()).apply(SchemaPhase.CONTRACT).applied()).isEmpty();
    }

    @Test
    void anInvalidIndexLeftByAFailedAttemptIsDroppedAndBuiltAgain() throws Exception {
        String url = freshDatabase();
        Path log = changelog(Form.SQL_UNIQUE, "lock-light run");
        migrator(url, log, new ArrayList<>()).apply(SchemaPhase.EXPAND);
        exec(url, "UPDATE child SET code = 'dup' WHERE id <= 2");
        try (Connection c = pg.getDatabase("postgres", dbName(url)).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE UNIQUE INDEX CONCURRENTLY child_code_uq ON child (code)");
        } catch (SQLException expected) {
            // duplicate key: PostgreSQL leaves child_code_uq behind, INVALID
        }
        assertThat(strings(url, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'child_code_uq'::regclass"))
                .containsExactly("false");
        exec(url, "UPDATE child SET code = 'c' || id WHERE id <= 2");

        migrator(url, log, new ArrayList<>()).apply(SchemaPhase.CONTRACT);

        assertThat(strings(url, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'child_code_uq'::regclass"))
                .containsExactly("true");
        assertThat(strings(url, "SELECT conname FROM pg_constraint WHERE conname = 'child_code_uq'")).hasSize(1);
    }

    /**
     * The lock is held by a prepared transaction: it has no session, so the polite wait (which steps aside only for a
     * client session's transaction open for a while) cannot see it, and the statement must queue, hit lock_timeout
     * and retry until the lock is gone. (A session's lock raced the migrator: once its transaction was 200 ms old the
     * polite wait saw it, and under load the DDL never queued.)
     */
    @Test
    void eachLockLightStatementKeepsLockTimeoutAndRetries() throws Exception {
        String url = freshDatabase();
        Path log = changelog(Form.SQL_SET_NOT_NULL, "lock-light run");
        migrator(url, log, new ArrayList<>()).apply(SchemaPhase.EXPAND);
        List<String> progress = new CopyOnWriteArrayList<>();
        ApplyResult result;
        try (Connection blocker = pg.getDatabase("postgres", dbName(url)).getConnection();
             Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.execute("LOCK TABLE child IN ACCESS SHARE MODE"); // conflicts with ALTER TABLE's lock
            s.execute("PREPARE TRANSACTION 'holds_child'");
            blocker.setAutoCommit(true);
            CompletableFuture<ApplyResult> ddl = CompletableFuture.supplyAsync(
                    () -> migrator(url, log, progress).apply(SchemaPhase.CONTRACT));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (progress.stream().noneMatch(line -> line.contains("lock_timeout 200ms hit in")) && !ddl.isDone()
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            s.execute("COMMIT PREPARED 'holds_child'");
            result = ddl.get();
        }
        assertThat(result.lockRetries()).isPositive();
        assertThat(progress).anyMatch(line -> line.contains("lock_timeout 200ms hit in"));
        assertThat(strings(url, "SELECT is_nullable FROM information_schema.columns WHERE table_name = 'child' "
                + "AND column_name = 'code'")).containsExactly("NO");
    }

    private Path changelog(Form form, String comment) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("log" + NEXT.incrementAndGet()));
        Files.writeString(folder.resolve("base.sql"), """
                --liquibase formatted sql
                --changeset t:base labels:expand
                --comment: botshift:plain the base is set up the ordinary way
                CREATE TABLE parent (id BIGINT PRIMARY KEY);
                CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT, code TEXT, note TEXT);
                CREATE INDEX child_note_idx ON child (note);
                INSERT INTO parent SELECT g FROM generate_series(1, 100) g;
                INSERT INTO child SELECT g, 1 + g % 100, 'c' || g, 'n' FROM generate_series(1, 2000) g;
                """);
        String formFile = "form." + form.format;
        if (form.format.equals("sql")) {
            Files.writeString(folder.resolve(formFile), "--liquibase formatted sql\n--changeset t:form labels:contract\n"
                    + "--comment: " + comment + "\n" + form.change + "\n");
        } else {
            Files.writeString(folder.resolve(formFile), "databaseChangeLog:\n  - changeSet:\n      id: form\n"
                    + "      author: t\n      labels: contract\n      comment: \"" + comment + "\"\n      changes:\n"
                    + "        " + form.change + "\n");
        }
        Path root = folder.resolve("root.yaml");
        Files.writeString(root, "databaseChangeLog:\n  - include: {file: base.sql, relativeToChangelogFile: true}\n"
                + "  - include: {file: " + formFile + ", relativeToChangelogFile: true}\n");
        return root;
    }

    private static LiquibaseSchemaMigrator migrator(String url, Path log, List<String> progress) {
        DatabaseSpec spec = new DatabaseSpec(url, "postgres", null, "unused", Duration.ofMillis(200), Duration.ofSeconds(30));
        return new LiquibaseSchemaMigrator(spec, log, progress::add);
    }

    /** Columns, constraints and indexes of the two tables, as the catalogs describe them. */
    private static List<String> schema(String url) throws SQLException {
        return strings(url, """
                SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' nullable=' || is_nullable
                  FROM information_schema.columns WHERE table_schema = 'public' AND table_name IN ('parent', 'child')
                UNION ALL
                SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || contype || ' valid='
                       || convalidated || ' ' || pg_get_constraintdef(oid)
                  FROM pg_constraint WHERE connamespace = 'public'::regnamespace
                UNION ALL
                SELECT 'index ' || indexrelid::regclass || ' valid=' || indisvalid || ' ' || pg_get_indexdef(indexrelid)
                  FROM pg_index WHERE indrelid IN ('parent'::regclass, 'child'::regclass)
                ORDER BY 1""");
    }

    private static String freshDatabase() throws SQLException {
        String name = "ll" + NEXT.incrementAndGet();
        exec(pg.getJdbcUrl("postgres", "postgres"), "CREATE DATABASE " + name);
        return pg.getJdbcUrl("postgres", name);
    }

    private static String dbName(String url) {
        String path = url.substring(url.lastIndexOf('/') + 1);
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private static void exec(String url, String sql) throws SQLException {
        try (Connection c = pg.getDatabase("postgres", dbName(url)).getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> strings(String url, String sql) throws SQLException {
        try (Connection c = pg.getDatabase("postgres", dbName(url)).getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
