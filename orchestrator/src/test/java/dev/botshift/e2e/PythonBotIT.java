package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.ExitCode;
import dev.botshift.demo.ChatPlatform;
import dev.botshift.demo.ChatStats;
import dev.botshift.rollout.Phase;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's second bot: {@code examples/notes-bot-python}, written from docs/bot-contract.md alone, rolled out
 * through v1 → v2 (expand, shift, contract: promoted) → v3 (a bug: rolled back) under about 20 messages/s, with
 * the repository's own plans' shape; every update sent is stored exactly once, whichever version received it.
 */
class PythonBotIT {
    private static final Path BOT = Cli.repo().resolve("examples/notes-bot-python");
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void v1ThenV2PromotedThenV3RolledBackWithEveryUpdateStoredOnce() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(Path.of("/usr/lib/python3/dist-packages/psycopg2/__init__.py")),
                "python3-psycopg2 is installed by .ci/test-tools.sh");
        // a server without pg_stat_statements, as on many managed databases: the rollout goes on unrehearsed, says so
        try (Pg pg = Pg.withoutStatementStats(); Rig rig = new Rig(pg)) {
            rig.deploy(plan(rig, "1.0.0", "changelog-v1.yaml"), ExitCode.OK);
            ChatPlatform chats = ChatPlatform.builder(URI.create("http://127.0.0.1:" + rig.routerPort + "/webhook"))
                    .chats(40).rate(20).redeliveryBackoff(Duration.ofMillis(200)).build();
            chats.start();
            try {
                Cli.Result v2 = rig.deploy(plan(rig, "2.0.0", "changelog-v2.yaml"), ExitCode.OK);
                assertThat(v2.stdout() + v2.stderr()).as("the rehearsal says why it did not run")
                        .contains("contract rehearsal skipped: pg_stat_statements is not loaded on this server");
                assertThat(rig.state("notes-bot").orElseThrow().phase()).isInstanceOf(Phase.Succeeded.class);
                assertThat(wordCountIsRequired(rig.dbEnv)).as("v2's contract ran: word_count NOT NULL").isTrue();

                rig.deploy(plan(rig, "3.0.0", "changelog-v2.yaml"), ExitCode.ROLLED_BACK);
                assertThat(rig.state("notes-bot").orElseThrow().phase()).isInstanceOf(Phase.RolledBack.class);
                Thread.sleep(2_000); // v2 serves again: the updates v3 failed are redelivered to it
            } finally {
                ChatStats stats = chats.stop(Duration.ofSeconds(20));
                assertThat(stats.sent()).as("messages sent").isGreaterThan(100);
                assertThat(stats.unacknowledged()).as("updates never acknowledged").isZero();
                Map<Long, Long> stored = storedCounts(rig.dbEnv);
                List<Long> lost = stats.sentIds().stream().filter(id -> !stored.containsKey(id)).toList();
                assertThat(lost).as("updates lost").isEmpty();
                // notes.update_id is UNIQUE, so a second row cannot exist: what shows the bot's idempotency is that
                // updates were redelivered (v3's failures, to v2 after the rollback) and each was stored once
                assertThat(stats.redeliveries()).as("redeliveries").isPositive();
                assertThat(stored.keySet()).as("stored ids are sent ids").isSubsetOf(stats.sentIds());
            }
        }
    }

    private static PlanFile plan(Rig rig, String release, String changelog) {
        // the marker argument is ignored by the bot; the rig finds leftover processes by it
        return rig.plan(release, BOT.resolve("db").resolve(changelog)).app("notes-bot").replicas(2)
                .command(List.of(PYTHON.toString(), "-u", BOT.resolve("bot.py").toString(),
                        "--botshift.e2e=" + rig.marker))
                .steps("[25, 50, 100]").analysis("1s", 3);
    }

    private static boolean wordCountIsRequired(Map<String, String> db) throws Exception {
        try (Connection c = Pg.connect(db); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT is_nullable FROM information_schema.columns"
                     + " WHERE table_name = 'notes' AND column_name = 'word_count'")) {
            return r.next() && r.getString(1).equals("NO");
        }
    }

    private static Map<Long, Long> storedCounts(Map<String, String> db) throws Exception {
        Map<Long, Long> counts = new HashMap<>();
        try (Connection c = Pg.connect(db); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT update_id, count(*) FROM notes GROUP BY update_id")) {
            while (r.next()) {
                counts.put(r.getLong(1), r.getLong(2));
            }
        }
        return counts;
    }
}
