package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.botshift.core.ExitCode;
import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.demo.FakeTelegramApi;
import dev.botshift.testing.MutableClock;
import dev.botshift.traffic.polling.BotToken;
import dev.botshift.traffic.webhook.BotApiException;
import dev.botshift.traffic.webhook.WebhookApi;
import dev.botshift.traffic.webhook.WebhookRegistration;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A router verifying Telegram webhooks with the secrets {@code botshift webhook} registers, against the fake Bot API:
 * the secret Telegram holds is accepted from its first delivery, a rotation under traffic refuses no update, the
 * old secret is retired after its grace, and a rotation cut short leaves both accepted.
 */
class WebhookRotationTest extends RouterPerTest {
    static final String TOKEN = "4242:rotation-test-token";
    static final String HEADER = WebhookVerifier.TELEGRAM_HEADER;
    static final URI HOOK = URI.create("https://bots.example.com/telegram");

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T21:00:00Z"));
    FakeTelegramApi telegram;
    WebhookRegistration registration;

    Path secretsFile() {
        return dir.resolve("router").resolve(WebhookSecrets.FILE_NAME);
    }

    @Override
    WebhookVerifier verifier() {
        dev.botshift.os.PrivateDirectory.ensure(dir, dir.resolve("router"));
        return new WebhookVerifier.TelegramRegistered(WebhookSecretsFile.open(secretsFile(), clock));
    }

    @BeforeEach
    void telegram() {
        fixture.client.setWeights(Weights.allTo(Slot.B));
        telegram = new FakeTelegramApi(TOKEN);
        registration = new WebhookRegistration(new WebhookApi(telegram.baseUrl(), new BotToken(TOKEN),
                Duration.ofSeconds(5)), secretsFile(), clock);
    }

    @AfterEach
    void closeTelegram() {
        telegram.close();
    }

    /** What Telegram would send now: the secret it was given last. */
    int deliver(long chat) {
        return deliver(chat, telegram.webhookSecret());
    }

    int deliver(long chat, String secret) {
        return fixture.post("/hook", RouterFixture.update(chat), HEADER, secret).statusCode();
    }

    @Test
    void theSecretIsAcceptedFromTheFirstDeliveryAndNothingElseIs() {
        assertThat(deliver(1, "anything-at-all")).as("nothing registered yet: refused").isEqualTo(403);
        WebhookRegistration.Set set = registration.set(HOOK, List.of("message"), false);
        assertThat(set.newSecret()).isTrue();
        assertThat(telegram.webhookUrl()).isEqualTo(HOOK.toString());
        assertThat(telegram.allowedUpdates()).isEmpty(); // getUpdates' filter, untouched
        assertThat(set.info().allowedUpdates()).containsExactly("message");
        assertThat(deliver(2)).as("right after setWebhook, no wait").isEqualTo(200);
        assertThat(deliver(3, "anything-at-all")).isEqualTo(403);
        assertThat(fixture.post("/hook", RouterFixture.update(4)).statusCode()).isEqualTo(401);

        String first = telegram.webhookSecret();
        assertThat(registration.set(URI.create("https://bots.example.com/v2"), null, false).newSecret())
                .as("a new URL keeps the secret: changing it is a rotation").isFalse();
        assertThat(telegram.webhookSecret()).isEqualTo(first);
    }

    @Test
    void noUpdateIsRefusedWhileTheSecretIsRotatedUnderTraffic() throws Exception {
        registration.set(HOOK, null, false);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong rotations = new AtomicLong();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        int senders = 3;
        // per sender: the rotation count seen when its last finished delivery started (read before the secret)
        AtomicLong[] caughtUp = new AtomicLong[senders];
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            caughtUp[s] = new AtomicLong(-1);
            Thread t = new Thread(() -> {
                long chat = sender * 1_000_000L;
                while (running.get()) {
                    long seen = rotations.get();
                    statuses.merge(deliver(chat++), 1, Integer::sum);
                    caughtUp[sender].set(seen);
                }
            }, "sender-" + s);
            t.start();
            threads.add(t);
        }
        Set<String> secrets = new HashSet<>(Set.of(telegram.webhookSecret()));
        for (int i = 1; i <= 10; i++) {
            registration.rotate(Duration.ofMinutes(5));
            secrets.add(telegram.webhookSecret());
            rotations.set(i);
            // Telegram's deliveries in flight carry at most the secret just replaced: wait until every sender
            // has finished one delivery begun after this rotation before the next one retires it
            for (AtomicLong c : caughtUp) {
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (c.get() < i && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
            }
        }
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
        System.out.println("measured: " + statuses.values().stream().mapToInt(Integer::intValue).sum()
                + " deliveries from " + senders + " senders across 10 rotations, statuses " + statuses);
        assertThat(secrets).as("each rotation registered a new secret").hasSize(11);
        assertThat(statuses).as("every delivery routed, none refused").containsOnlyKeys(200);
        assertThat(statuses.get(200)).isGreaterThan(30);
        assertThat(fixture.client.stats().refused().values().stream().mapToLong(Long::longValue).sum()).isZero();
        assertThat(fixture.green.requests()).isEqualTo(statuses.get(200));
    }

    @Test
    void theOldSecretIsAcceptedForItsGraceThenRefused() {
        registration.set(HOOK, null, false);
        String old = telegram.webhookSecret();
        WebhookSecrets now = registration.rotate(Duration.ofMinutes(1));
        assertThat(now.previousUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(1)));
        assertThat(deliver(1, old)).as("in flight during the grace").isEqualTo(200);
        assertThat(deliver(2)).isEqualTo(200);
        clock.advance(Duration.ofSeconds(61));
        assertThat(deliver(3, old)).as("retired").isEqualTo(403);
        assertThat(deliver(4)).isEqualTo(200);
    }

    @Test
    void aRotationCutShortLeavesBothSecretsAcceptedAndTheNextOneCompletes() {
        registration.set(HOOK, null, false);
        String old = telegram.webhookSecret();
        telegram.refuse("setWebhook", "Too Many Requests: retry after 1");
        BotApiException e = catchThrowableOfType(BotApiException.class, () -> registration.rotate(Duration.ofMinutes(5)));
        assertThat(e.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
        assertThat(e.getMessage()).contains("setWebhook at " + telegram.baseUrl()).contains("Too Many Requests")
                .doesNotContain(TOKEN);
        WebhookSecrets cutShort = WebhookSecrets.read(secretsFile()).orElseThrow();
        assertThat(cutShort.current()).isEqualTo(old);
        assertThat(deliver(1, old)).isEqualTo(200);
        assertThat(deliver(2, cutShort.next())).as("Telegram may have taken it before the error").isEqualTo(200);

        telegram.refuse("setWebhook", null);
        registration.rotate(Duration.ofMinutes(5));
        assertThat(telegram.webhookSecret()).isNotIn(old, cutShort.next());
        assertThat(deliver(3)).isEqualTo(200);
        assertThat(deliver(4, cutShort.next())).as("the cut-short secret was never current: gone").isEqualTo(403);
        assertThat(deliver(5, old)).as("the one replaced: in its grace").isEqualTo(200);
    }
}
