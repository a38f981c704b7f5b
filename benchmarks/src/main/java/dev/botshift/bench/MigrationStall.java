package dev.botshift.bench;

import dev.botshift.plan.DatabaseSpec;
import dev.botshift.schema.ApplyResult;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.schema.lint.LiquibaseEnvironment;
import dev.botshift.schema.liquibase.LiquibaseSchemaMigrator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.command.CommandScope;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;

/**
 * Part 1: the sample v2 changelog's expand and contract on a loaded user_interactions table under a live workload,
 * with Botshift and with plain Liquibase update, on identical copies; then both again with a 5 s blocker.
 */
final class MigrationStall {
    static final Duration LOCK_TIMEOUT = Duration.ofMillis(500);
    private static final double RATE = 200;

    record Variant(String name, boolean botshift, boolean blocker) {
    }

    record Result(Variant variant, long maxMs, long p99Ms, long p50Ms, long requests, long failedWrites, int retries,
                  double ddlSeconds) {
    }

    private final Path repo;
    private final long rows;

    MigrationStall(Path repo, long rows) {
        this.repo = repo;
        this.rows = rows;
    }

    List<Result> run() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            String template = url(pg, "seed");
            admin(pg, "CREATE DATABASE seed");
            migrator(template, "changelog-v1.yaml").apply(SchemaPhase.EXPAND);
            exec(template, "INSERT INTO user_interactions (update_id, chat_id, user_id, message_text, bot_version) "
                    + "SELECT g, g % 5000, g % 7000, 'message number ' || g, '1.0.0' FROM generate_series(1, " + rows
                    + ") g");
            exec(template, "VACUUM ANALYZE user_interactions");
            List<Result> out = new ArrayList<>();
            for (Variant v : List.of(new Variant("botshift", true, false), new Variant("plain", false, false),
                    new Variant("botshift+blocker", true, true), new Variant("plain+blocker", false, true))) {
                String db = v.name().replace("+", "_");
                admin(pg, "CREATE DATABASE " + db + " TEMPLATE seed");
                out.add(variant(v, url(pg, db)));
                admin(pg, "DROP DATABASE " + db);
            }
            return out;
        }
    }

    private Result variant(Variant v, String url) throws Exception {
        int retries = 0;
        long t0;
        long t1;
        List<Workload.Sample> samples;
        try (Workload w = new Workload(url, rows, RATE)) {
            Thread.sleep(2_000); // warm up: connections open, plans cached
            t0 = System.nanoTime();
            retries += phase(v, url, SchemaPhase.EXPAND);
            w.v2Writes(); // green has all the traffic and blue is gone before contract
            Thread.sleep(500);
            retries += phase(v, url, SchemaPhase.CONTRACT);
            t1 = System.nanoTime();
            Thread.sleep(1_000);
            samples = w.samples();
        }
        long from = t0;
        long to = t1;
        List<Workload.Sample> window = samples.stream()
                .filter(s -> s.startNanos() + s.latencyNanos() >= from && s.startNanos() <= to).toList();
        long[] ms = window.stream().mapToLong(s -> s.latencyNanos() / 1_000_000).sorted().toArray();
        long failed = window.stream().filter(s -> s.write() && s.failed()).count();
        return new Result(v, ms.length == 0 ? 0 : ms[ms.length - 1], Stats.percentile(ms, 0.99),
                Stats.percentile(ms, 0.50), ms.length, failed, retries, (t1 - t0) / 1e9);
    }

    /** One phase; in the blocker variants another session holds ACCESS SHARE on the table for 5 s as the DDL arrives. */
    private int phase(Variant v, String url, SchemaPhase phase) throws Exception {
        Thread blocker = null;
        if (v.blocker()) {
            blocker = new Thread(() -> holdAccessShare(url, 5_000), "blocker");
            blocker.start();
            Thread.sleep(200);
        }
        int retries = 0;
        if (v.botshift()) {
            ApplyResult r = migrator(url, "changelog-v2.yaml").apply(phase);
            retries = r.lockRetries();
        } else {
            plainLiquibaseUpdate(url, phase);
        }
        if (blocker != null) {
            blocker.join();
        }
        return retries;
    }

    private static void holdAccessShare(String url, long millis) {
        try (Connection c = DriverManager.getConnection(url, "postgres", null)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT count(*) FROM (SELECT 1 FROM user_interactions LIMIT 1) t");
                Thread.sleep(millis);
            }
            c.commit();
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What teams run today: liquibase update of the same changelog and label, no lock_timeout, no retry. */
    private void plainLiquibaseUpdate(String url, SchemaPhase phase) throws Exception {
        Path root = changelog("changelog-v2.yaml");
        try (Connection c = DriverManager.getConnection(url, "postgres", null)) {
            Database db = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            LiquibaseEnvironment.run(root, Map.of(), () -> {
                CommandScope cmd = new CommandScope(UpdateCommandStep.COMMAND_NAME);
                cmd.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, db);
                cmd.addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, LiquibaseEnvironment.logicalName(root));
                cmd.addArgumentValue(UpdateCommandStep.LABEL_FILTER_ARG, "@" + phase.label());
                cmd.addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG);
                return cmd.execute();
            });
        }
    }

    private LiquibaseSchemaMigrator migrator(String url, String changelog) {
        return new LiquibaseSchemaMigrator(new DatabaseSpec(url, "postgres", null, changelog, LOCK_TIMEOUT,
                Duration.ofMinutes(5)), changelog(changelog), line -> { });
    }

    private Path changelog(String name) {
        return repo.resolve("examples/sentiment-bot/db").resolve(name);
    }

    private static String url(EmbeddedPostgres pg, String db) {
        return pg.getJdbcUrl("postgres", db);
    }

    private static void admin(EmbeddedPostgres pg, String sql) throws SQLException {
        exec(url(pg, "postgres"), sql);
    }

    private static void exec(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
