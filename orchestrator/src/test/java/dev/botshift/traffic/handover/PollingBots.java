package dev.botshift.traffic.handover;

import dev.botshift.demo.ChatLedger;
import dev.botshift.demo.FakeTelegramApi;
import dev.botshift.example.sentiment.BotConfig;
import dev.botshift.example.sentiment.PollingConfig;
import dev.botshift.example.sentiment.RunningBot;
import dev.botshift.example.sentiment.SentimentBot;
import dev.botshift.plan.DatabaseSpec;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.schema.liquibase.LiquibaseSchemaMigrator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real sample bots in polling mode, in this JVM, on an embedded PostgreSQL with the v1 schema, polling a
 * {@link FakeTelegramApi}: what a handover switches between. A JUnit extension ({@code @RegisterExtension static}):
 * the database for the class, a fresh API and no bot left after each test.
 */
final class PollingBots implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    static final String TOKEN = "4242:handover-test-token";
    private static final Path REPO = Path.of(System.getProperty("botshift.repo", ".."));

    /** The Bot API the bots poll: a fresh one for each test ({@link #afterEach}). */
    FakeTelegramApi api = new FakeTelegramApi(TOKEN);
    private EmbeddedPostgres postgres;
    private final List<RunningBot> bots = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        System.setProperty("liquibase.analytics.enabled", "false");
        postgres = EmbeddedPostgres.builder().start();
        Path changelog = REPO.resolve("examples/sentiment-bot/db/changelog-v1.yaml");
        var migrator = new LiquibaseSchemaMigrator(new DatabaseSpec(url(), "postgres", "", changelog.toString(),
                Duration.ofMillis(500), Duration.ofMinutes(1)), changelog, line -> { });
        migrator.apply(SchemaPhase.EXPAND);
        migrator.apply(SchemaPhase.CONTRACT);
    }

    /** A bot of {@code version} in {@code slot}, polling from the start or standing by; its base URI. */
    URI start(String slot, String version, boolean consuming, double faultRate) {
        BotConfig config = new BotConfig(0, version, slot, url(), "postgres", "", faultRate, 0, Duration.ZERO, null, null,
                Duration.ZERO);
        RunningBot bot = SentimentBot.start(config,
                new PollingConfig(api.baseUrl(), TOKEN, Duration.ofSeconds(1), consuming));
        bots.add(bot);
        return URI.create("http://127.0.0.1:" + bot.port());
    }

    /** Stops the bots, and starts a new API for the next test; the database stays (update ids start again at 1). */
    @Override
    public void afterEach(ExtensionContext context) throws SQLException {
        bots.forEach(b -> b.stop(Duration.ZERO));
        bots.clear();
        api.close();
        api = new FakeTelegramApi(TOKEN);
        try (Connection c = connection(); java.sql.Statement s = c.createStatement()) {
            s.execute("TRUNCATE user_interactions");
        }
    }

    ChatLedger ledger(Collection<Long> sent) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            return ChatLedger.of(sent, c);
        }
    }

    Connection connection() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    private String url() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        bots.forEach(b -> b.stop(Duration.ZERO));
        api.close();
        postgres.close();
    }
}
