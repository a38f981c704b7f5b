package dev.botshift.analysis.prometheus;

import dev.botshift.core.Slot;
import dev.botshift.os.ListenPort;
import dev.botshift.plan.DatabaseSpec;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.schema.liquibase.LiquibaseSchemaMigrator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real sample bot ({@code examples/sentiment-bot/target/sentiment-bot.jar}), one process per colour, on an
 * embedded PostgreSQL with the v1 schema applied by Botshift's own Liquibase migrator.
 */
final class SampleBots implements AutoCloseable {
    private static final Path REPO = Path.of(System.getProperty("botshift.repo", ".."));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final EmbeddedPostgres postgres;
    private final Map<Slot, Integer> ports = new EnumMap<>(Slot.class);
    private final List<Process> processes = new ArrayList<>();

    SampleBots() throws IOException {
        System.setProperty("liquibase.analytics.enabled", "false");
        postgres = EmbeddedPostgres.builder().start();
        String url = postgres.getJdbcUrl("postgres", "postgres");
        Path changelog = REPO.resolve("examples/sentiment-bot/db/changelog-v1.yaml");
        var migrator = new LiquibaseSchemaMigrator(new DatabaseSpec(url, "postgres", "", changelog.toString(),
                Duration.ofMillis(500), Duration.ofMinutes(1)), changelog, line -> { });
        migrator.apply(SchemaPhase.EXPAND);
        migrator.apply(SchemaPhase.CONTRACT);
    }

    /** Starts {@code colour} at {@code version}; {@code faultRate} of its updates fail with a 500. */
    void start(Slot slot, String version, double faultRate) throws IOException {
        int port = freePort();
        Path jar = REPO.resolve("examples/sentiment-bot/target/sentiment-bot.jar");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.put("PORT", Integer.toString(port));
        env.put("BOT_VERSION", version);
        env.put("BOT_SLOT", slot.label());
        env.put("DB_URL", postgres.getJdbcUrl("postgres", "postgres"));
        env.put("DB_USER", "postgres");
        env.put("BOT_FAULT_RATE", Double.toString(faultRate));
        processes.add(pb.start());
        ports.put(slot, port);
    }

    int port(Slot slot) {
        return ports.get(slot);
    }

    void awaitHealthy(Slot slot) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            try {
                if (get(slot, "/healthz").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the " + slot.label() + " bot never became healthy");
    }

    /** Posts {@code n} updates (ids from {@code firstId}); returns how many were answered with a 5xx. */
    int send(Slot slot, int firstId, int n) throws IOException, InterruptedException {
        int failed = 0;
        for (int id = firstId; id < firstId + n; id++) {
            String body = "{\"update_id\":%d,\"message\":{\"message_id\":1,\"chat\":{\"id\":%d},\"from\":{\"id\":7},\"text\":\"great stuff\"}}"
                    .formatted(id, 100 + id % 7);
            HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(slot) + "/webhook"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            if (HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() >= 500) {
                failed++;
            }
        }
        return failed;
    }

    /** The sum of all samples of {@code metric} on the bot's own /metrics. */
    long sampleSum(Slot slot, String metric) throws IOException, InterruptedException {
        Matcher m = Pattern.compile("(?m)^" + metric + "\\{[^}]*} ([0-9.eE+]+)").matcher(get(slot, "/metrics").body());
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return Math.round(sum);
    }

    private HttpResponse<String> get(Slot slot, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(slot) + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() {
        return ListenPort.pick(); // below the ephemeral range: no outgoing connection takes it first
    }

    @Override
    public void close() throws IOException {
        for (Process p : processes) {
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        postgres.close();
    }
}
