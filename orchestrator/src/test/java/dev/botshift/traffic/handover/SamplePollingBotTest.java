package dev.botshift.traffic.handover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.demo.ChatLedger;
import dev.botshift.testing.Slow;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sample bot's polling mode against the fake Bot API and real PostgreSQL: the handover contract of
 * docs/polling.md, {@code BOTSHIFT_CONSUMER=standby} and {@code /botshift/consumer}, as Botshift's client sees it.
 */
@Slow
class SamplePollingBotTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @RegisterExtension
    static final PollingBots bots = new PollingBots();
    private final ConsumerClient client = new ConsumerClient(WAIT);

    @Test
    void aStandbyBotPollsNothingUntilStartedAndConfirmsItsStopToTheApi() throws Exception {
        URI bot = bots.start("a", "1.0.0", false, 0);
        List<Long> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(bots.api.message(7, "before #" + i));
        }
        Thread.sleep(300);

        assertThat(client.state(bot).consuming()).isFalse();
        assertThat(bots.api.calls("getUpdates")).as("a standby bot polls nothing").isZero();

        client.start(bot);
        assertThat(client.state(bot).consuming()).isTrue();
        assertThat(bots.api.calls("getUpdates")).as("confirmed once its first poll is on its way").isPositive();
        awaitStored(sent);

        client.stop(bot);
        int polls = bots.api.calls("getUpdates");
        assertThat(client.state(bot).consuming()).isFalse();
        assertThat(client.state(bot).offset()).isEqualTo(sent.get(4) + 1);
        assertThat(bots.api.pending()).as("the stop confirmed every handled update to the API").isZero();
        long late = bots.api.message(7, "after the stop");
        Thread.sleep(1_500); // longer than the bot's 1 s long poll
        assertThat(bots.api.calls("getUpdates")).as("no poll after a confirmed stop").isEqualTo(polls);
        assertThat(bots.api.firstUnconfirmed()).as("kept by the API for the next consumer").isEqualTo(late);
        assertThat(bots.api.conflicts()).isZero();
    }

    @Test
    void anUpdateStoredByAnEarlierConsumerButNotConfirmedIsStoredOnce() throws Exception {
        long first = bots.api.message(9, "stored, then the consumer died before confirming it");
        long second = bots.api.message(9, "never seen");
        try (Connection c = bots.connection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO user_interactions (update_id, chat_id, user_id, message_text, bot_version) VALUES ("
                    + first + ", 9, 9, 'stored, then the consumer died before confirming it', '0.9.0')");
        }
        URI bot = bots.start("a", "1.0.0", true, 0);

        awaitStored(List.of(first, second));

        ChatLedger ledger = bots.ledger(List.of(first, second));
        assertThat(ledger.duplicated()).isEmpty();
        assertThat(ledger.lost()).isEmpty();
        try (Connection c = bots.connection();
             PreparedStatement q = c.prepareStatement("SELECT bot_version FROM user_interactions WHERE update_id = ?")) {
            q.setLong(1, first);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                assertThat(r.getString(1)).as("the first copy stays").isEqualTo("0.9.0");
            }
        }
        assertThat(client.state(bot).consuming()).isTrue();
    }

    @Test
    void aFailingUpdateIsRetriedUntilStoredAndAStopLeavesTheUnhandledOnesToTheNextConsumer() throws Exception {
        URI faulty = bots.start("b", "1.0.1", true, 0.6);
        List<Long> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(bots.api.message(3 + i % 4, "m" + i));
        }
        Thread.sleep(200);
        client.stop(faulty);
        URI good = bots.start("a", "1.0.0", false, 0);
        client.start(good);

        awaitStored(sent);
        ChatLedger ledger = bots.ledger(sent);
        assertThat(ledger.lost()).isEmpty();
        assertThat(ledger.duplicated()).isEmpty();
        assertThat(bots.api.conflicts()).isZero();
    }

    @Test
    void aBodyThatIsNotASwitchIsRefused() throws Exception {
        URI bot = bots.start("a", "1.0.0", false, 0);
        var http = java.net.http.HttpClient.newHttpClient();
        var answer = http.send(java.net.http.HttpRequest.newBuilder(bot.resolve(ConsumerClient.PATH))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"consuming\":\"yes\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("consuming");
        assertThat(client.state(bot).consuming()).isFalse();
    }

    private void awaitStored(List<Long> ids) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!bots.ledger(ids).lost().isEmpty() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(bots.ledger(ids).lost()).as("stored within %s", WAIT).isEmpty();
    }
}
