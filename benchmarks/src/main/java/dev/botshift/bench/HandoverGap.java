package dev.botshift.bench;

import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.demo.ChatLedger;
import dev.botshift.demo.FakeTelegramApi;
import dev.botshift.demo.PolledChats;
import dev.botshift.os.CleanUpOnSignal;
import dev.botshift.os.ListenPort;
import dev.botshift.plan.DatabaseSpec;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.schema.liquibase.LiquibaseSchemaMigrator;
import dev.botshift.traffic.handover.ConsumerHandover;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Part 9 (issue #17's handover goal, {@code handover_max_gap_s}): two sample bot processes in polling mode (each with
 * its own JVM, on an embedded PostgreSQL with the v1 schema) long-poll a {@link FakeTelegramApi} while chats queue
 * 50 messages/s there; Botshift's {@link ConsumerHandover} (what a handover rollout calls) moves the one consumer from
 * one bot to the other and back, {@code switches} times, a second apart. The fake API measures the longest time no
 * {@code getUpdates} was in flight ({@code maxGapSeconds}, from the first poll on): it includes each switch and also any
 * batch a bot handles between two polls. Then every update sent is looked up in the database: lost, stored twice, 409s.
 */
final class HandoverGap {
    private static final String TOKEN = "4242:bench-handover-token";
    private static final Pattern SWITCH_MS = Pattern.compile("consumer handed over: (\\d+) ms");

    record Result(int switches, double maxGapSeconds, String where, List<Long> switchMillis, ChatLedger ledger,
                  int conflicts) {
    }

    private final Path repo;
    private final int switches;
    private final Duration apart;

    HandoverGap(Path repo, int switches, Duration apart) {
        this.repo = repo;
        this.switches = switches;
        this.apart = apart;
    }

    Result run() throws Exception {
        List<Process> bots = new ArrayList<>();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             FakeTelegramApi api = new FakeTelegramApi(TOKEN)) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            Path changelog = repo.resolve("examples/sentiment-bot/db/changelog-v1.yaml");
            var migrator = new LiquibaseSchemaMigrator(new DatabaseSpec(url, "postgres", "", changelog.toString(),
                    Duration.ofMillis(500), Duration.ofMinutes(1)), changelog, line -> { });
            migrator.apply(SchemaPhase.EXPAND);
            migrator.apply(SchemaPhase.CONTRACT);
            Map<Slot, List<URI>> endpoints = new EnumMap<>(Slot.class);
            endpoints.put(Slot.A, List.of(startBot(bots, api, url, "a", "1.0.0", true)));
            endpoints.put(Slot.B, List.of(startBot(bots, api, url, "b", "1.0.1", false)));
            List<String> log = new CopyOnWriteArrayList<>();
            ConsumerHandover handover = new ConsumerHandover(endpoints::get, Duration.ofSeconds(20), null, log::add);
            PolledChats chats = new PolledChats(api, 20);
            chats.start(50);
            Thread.sleep(2_000); // the first consumer's first batches (a cold JVM) before the first switch
            List<Instant[]> windows = new ArrayList<>();
            for (int i = 1; i <= switches; i++) {
                Instant start = Instant.now();
                handover.setWeights(Weights.allTo(i % 2 == 1 ? Slot.B : Slot.A));
                windows.add(new Instant[] {start, Instant.now()});
                Thread.sleep(apart.toMillis());
            }
            List<Long> sent = chats.stop(Duration.ofSeconds(30));
            ChatLedger ledger;
            try (Connection c = postgres.getPostgresDatabase().getConnection()) {
                ledger = ChatLedger.of(sent, c);
            }
            List<Long> millis = new ArrayList<>();
            for (String line : log) {
                Matcher m = SWITCH_MS.matcher(line);
                if (m.find()) {
                    millis.add(Long.parseLong(m.group(1)));
                }
            }
            return new Result(switches, api.maxGapSeconds(), where(api.maxGapEnded(), windows), millis, ledger,
                    api.conflicts());
        } finally {
            CleanUpOnSignal.beforeCleanUp();
            for (Process p : bots) {
                ProxyThroughput.stopProcessTree(p);
            }
        }
    }

    /** Which switch the longest gap belongs to: it ended during a switch or within a second after one, or neither. */
    private static String where(Instant ended, List<Instant[]> windows) {
        if (ended == null) {
            return "no gap recorded";
        }
        for (int i = 0; i < windows.size(); i++) {
            Instant[] w = windows.get(i);
            if (!ended.isBefore(w[0]) && !ended.isAfter(w[1].plusSeconds(1))) {
                return "ended during switch " + (i + 1) + " or within 1 s after it";
            }
        }
        return "ended away from every switch (a bot between two polls)";
    }

    /** A sample bot process in polling mode, as the local platform starts one; its base URI once healthy. */
    private URI startBot(List<Process> bots, FakeTelegramApi api, String dbUrl, String slot, String version,
                         boolean consuming) throws IOException, InterruptedException {
        int port = ListenPort.pick();
        Path jar = repo.resolve("examples/sentiment-bot/target/sentiment-bot.jar");
        Path out = Files.createTempFile("botshift-bench-handover-" + slot + "-", ".log");
        ProcessBuilder builder = new ProcessBuilder("java", "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(out.toFile());
        Map<String, String> env = builder.environment();
        env.put("PORT", String.valueOf(port));
        env.put("BOT_VERSION", version);
        env.put("BOT_SLOT", slot);
        env.put("DB_URL", dbUrl);
        env.put("DB_USER", "postgres");
        env.put("DB_PASSWORD", "");
        env.put("BOT_POLLING_API_URL", api.baseUrl().toString());
        env.put("BOT_TOKEN", TOKEN);
        env.put("BOT_POLL_TIMEOUT", "2"); // the demo's plan-handover.yaml: a stop waits for the poll in flight
        env.put("BOTSHIFT_CONSUMER", consuming ? "active" : "standby");
        Process p = builder.start();
        bots.add(p);
        URI base = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("the sample bot (" + slot + ") exited " + p.exitValue() + ": "
                        + Files.readString(out));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(base.resolve("/healthz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    Files.deleteIfExists(out);
                    return base;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IOException("the sample bot (" + slot + ") was not healthy within 60 s: " + Files.readString(out));
    }
}
