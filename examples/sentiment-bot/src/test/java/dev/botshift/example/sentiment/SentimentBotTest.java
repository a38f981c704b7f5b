package dev.botshift.example.sentiment;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bot against real PostgreSQL, over real HTTP, at each schema state a rollout passes through. */
class SentimentBotTest {

    private static TestDatabase postgres;
    private final List<RunningBot> bots = new ArrayList<>();

    @BeforeAll
    static void startPostgres() {
        postgres = new TestDatabase();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @AfterEach
    void stopBots() {
        bots.forEach(bot -> bot.stop(Duration.ZERO));
    }

    private RunningBot start(String version, String slot, String url) {
        RunningBot bot = SentimentBot.start(
                new BotConfig(0, version, slot, url, "postgres", "", 0, 0, Duration.ZERO, null, null));
        bots.add(bot);
        return bot;
    }

    @Test
    void v1StoresAnUpdateOnceEvenWhenRedelivered() throws Exception {
        String url = postgres.create();
        postgres.migrate(url, "changelog-v1.yaml", "@expand");
        BotClient client = new BotClient(start("1.0.0", "a", url));

        HttpResponse<String> first = client.post(BotClient.update(100, 42, "hello"));
        HttpResponse<String> again = client.post(BotClient.update(100, 42, "hello"));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("{\"ok\":true,\"version\":\"1.0.0\",\"slot\":\"a\"}");
        assertThat(first.headers().firstValue("X-Botshift-Slot")).hasValue("a");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(query(url, "SELECT count(*) || ' ' || min(chat_id) || ' ' || min(bot_version) "
                + "FROM user_interactions WHERE update_id = 100")).isEqualTo("1 42 1.0.0");
        assertThat(client.metric("bot_requests_total", "outcome=\"ok\"", "slot=\"a\"", "version=\"1.0.0\""))
                .isEqualTo(2.0);
    }

    @Test
    void malformedBodyIsRefusedWith400AndStoresNothing() throws Exception {
        String url = postgres.create();
        postgres.migrate(url, "changelog-v1.yaml", "@expand");
        BotClient client = new BotClient(start("1.0.0", "a", url));

        assertThat(client.post("not json").statusCode()).isEqualTo(400);
        HttpResponse<String> noChat = client.post("{\"update_id\":1,\"message\":{\"text\":\"hi\"}}");

        assertThat(noChat.statusCode()).isEqualTo(400);
        assertThat(noChat.body()).contains("message.chat.id");
        assertThat(query(url, "SELECT count(*) FROM user_interactions")).isEqualTo("0");
        assertThat(client.metric("bot_handler_errors_total", "answered=\"5xx\"")).isZero();
    }

    @Test
    void v2DualWritesScoreAndLogAndCountsEachMessageOnceInTheSummary() throws Exception {
        String url = postgres.create();
        postgres.migrate(url, "changelog-v2.yaml", "@expand");
        BotClient client = new BotClient(start("2.0.0", "b", url));

        assertThat(client.post(BotClient.update(1, 42, "I love it, great bot")).statusCode()).isEqualTo(200);
        assertThat(client.post(BotClient.update(1, 42, "I love it, great bot")).statusCode()).isEqualTo(200);
        assertThat(client.post(BotClient.update(2, 42, "terrible")).statusCode()).isEqualTo(200);

        assertThat(query(url, "SELECT sentiment_score || ' ' || detailed_log::text FROM user_interactions "
                + "WHERE update_id = 1"))
                .isEqualTo("0.900 {\"score\": 0.900, \"words\": [\"love\", \"great\"], \"version\": \"2.0.0\"}");
        assertThat(query(url, "SELECT messages || ' ' || total_score FROM daily_sentiment_summary "
                + "WHERE chat_id = 42 AND day = current_date")).isEqualTo("2 0.000");
    }

    @Test
    void v1KeepsWorkingOnTheExpandedSchemaWithoutKnowingTheNewColumns() throws Exception {
        String url = postgres.create();
        postgres.migrate(url, "changelog-v2.yaml", "@expand");
        BotClient blue = new BotClient(start("1.0.0", "a", url));
        BotClient green = new BotClient(start("2.0.0", "b", url));

        assertThat(blue.post(BotClient.update(10, 1, "good")).statusCode()).isEqualTo(200);
        assertThat(green.post(BotClient.update(11, 1, "good")).statusCode()).isEqualTo(200);
        // A redelivery to the other colour must not store a second row either.
        assertThat(green.post(BotClient.update(10, 1, "good")).statusCode()).isEqualTo(200);

        assertThat(query(url, "SELECT string_agg(update_id || ':' || bot_version || ':' "
                + "|| coalesce(sentiment_score::text, 'null'), ',' ORDER BY update_id) FROM user_interactions"))
                .isEqualTo("10:1.0.0:null,11:2.0.0:0.600");
    }

    @Test
    void v2KeepsWorkingAfterTheContractBackfilledV1Rows() throws Exception {
        String url = postgres.create();
        postgres.migrate(url, "changelog-v2.yaml", "@expand");
        BotClient blue = new BotClient(start("1.0.0", "a", url));
        assertThat(blue.post(BotClient.update(20, 5, "bad")).statusCode()).isEqualTo(200);

        postgres.migrate(url, "changelog-v2.yaml", "@contract");
        BotClient green = new BotClient(start("2.0.0", "b", url));

        assertThat(green.post(BotClient.update(21, 5, "sad")).statusCode()).isEqualTo(200);
        assertThat(query(url, "SELECT string_agg(update_id || ':' || sentiment_score, ',' ORDER BY update_id) "
                + "FROM user_interactions")).isEqualTo("20:0.000,21:-0.600");
        // After the contract v1 can no longer insert: the point of no return the rollout guards.
        HttpResponse<String> late = blue.post(BotClient.update(22, 5, "bad"));
        assertThat(late.statusCode()).isEqualTo(500);
        assertThat(blue.metric("bot_handler_errors_total", "answered=\"5xx\"", "version=\"1.0.0\"")).isEqualTo(1.0);
    }

    static String query(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
