package dev.botshift.traffic.polling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.botshift.demo.FakeTelegramApi;
import dev.botshift.testing.LoopbackHttp;
import dev.botshift.testing.OneBotRouter;
import dev.botshift.traffic.router.RouterServer;
import dev.botshift.traffic.router.StickyField;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What passes between the bridge and a bot besides the update, as it would between Telegram and a webhook: a Bot API
 * call in the bot's answer (Telegraf's default {@code webhookReply}, the Bot API's "making requests when getting
 * updates"), which behind the bridge was read by nobody, so every such reply was lost, and now is made as Telegram
 * would; and the secret a bot checks in {@code X-Telegram-Bot-Api-Secret-Token}.
 */
class BridgeDeliveryTest {
    private static final String TOKEN = "123456:TEST-token_secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final FakeTelegramApi api = new FakeTelegramApi(TOKEN);
    private HttpServer bot;
    private RouterServer router;
    private PollingBridge bridge;
    private final AtomicInteger deliveries = new AtomicInteger();
    /** The secret header of each delivery, "" when absent. */
    private final List<String> secrets = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
        if (router != null) {
            router.close();
        }
        if (bot != null) {
            bot.stop(0);
        }
        api.close();
    }

    @Test
    void theCallsInJsonFormAndMultipartAnswersAreRecognised() {
        byte[] json = "{\"method\":\"sendMessage\",\"chat_id\":5,\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookReply.in("application/json; charset=utf-8", json)).hasValueSatisfying(r -> {
            assertThat(r.method()).isEqualTo("sendMessage");
            assertThat(r.body()).isEqualTo(json);
        });
        assertThat(WebhookReply.in("application/x-www-form-urlencoded",
                "chat_id=5&method=answerCallbackQuery&text=a%20b".getBytes(StandardCharsets.UTF_8)))
                .map(WebhookReply::method).hasValue("answerCallbackQuery");
        String multipart = "--xyz\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n5\r\n"
                + "--xyz\r\nContent-Disposition: form-data; name=\"method\"\r\n\r\nsendDocument\r\n"
                + "--xyz\r\nContent-Disposition: form-data; name=\"document\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nmethod=sendMessage\r\n--xyz--\r\n";
        assertThat(WebhookReply.in("multipart/form-data; boundary=xyz", multipart.getBytes(StandardCharsets.UTF_8)))
                .map(WebhookReply::method).hasValue("sendDocument");
        // the part named method, as a multipart parser reads it: not a part named methodology, not a file's content
        // that looks like a part, whichever comes first
        String lookalikes = "--xyz\r\nContent-Disposition: form-data; name=\"methodology\"\r\n\r\ngetUpdates\r\n"
                + "--xyz\r\nContent-Disposition: form-data; name=\"document\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nContent-Disposition: form-data; name=\"method\"\r\n\r\nsetWebhook\r\n"
                + "--xyz\r\nContent-Disposition: form-data; name=method\r\nContent-Type: text/plain; charset=utf-8"
                + "\r\n\r\nsendDocument\r\n--xyz--\r\n";
        assertThat(WebhookReply.in("multipart/form-data; boundary=xyz", lookalikes.getBytes(StandardCharsets.UTF_8)))
                .map(WebhookReply::method).hasValue("sendDocument");
        assertThat(WebhookReply.in("multipart/form-data", multipart.getBytes(StandardCharsets.UTF_8)))
                .as("no boundary").isEmpty();
        assertThat(WebhookReply.in("multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disp".getBytes(
                StandardCharsets.UTF_8))).as("cut short").isEmpty();

        // no call asked for: an empty or plain answer, JSON without a method, a method that names no API method
        assertThat(WebhookReply.in("application/json", new byte[0])).isEmpty();
        assertThat(WebhookReply.in("text/plain", "method=sendMessage".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(WebhookReply.in("application/json", "{\"ok\":true}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(WebhookReply.in("application/json", "[1,2]".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(WebhookReply.in("application/json", "{\"method\":\"../getMe\"}".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
        assertThat(WebhookReply.in("application/x-www-form-urlencoded", "method=%zz".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
    }

    @Test
    void theBridgeMakesTheCallABotAnsweredWithOnceAndInTheChatsOrder() throws Exception {
        startBot((text, chat) -> text.startsWith("form")
                ? new String[] {"application/x-www-form-urlencoded", "method=sendMessage&chat_id=" + chat + "&text="
                        + java.net.URLEncoder.encode("echo " + text, StandardCharsets.UTF_8)}
                : new String[] {"application/json", JSON.createObjectNode().put("method", "sendMessage")
                        .put("chat_id", chat).put("text", "echo " + text).toString()});
        api.message(7, "one");
        api.message(7, "two");
        api.message(8, "form three");

        await("three replies sent", () -> api.sent().size() == 3);
        assertThat(api.sent().stream().filter(s -> s.chatId().equals("7")).map(FakeTelegramApi.Sent::text))
                .containsExactly("echo one", "echo two");
        assertThat(api.sent()).contains(new FakeTelegramApi.Sent("8", "echo form three"));
        // counted once the API has answered the bridge, a moment after it recorded the message
        await("three calls counted", () -> bridge.stats().replies() == 3);
        JsonNode stats = bridge.stats().toJson();
        assertThat(stats.path("replies").asLong()).isEqualTo(3);
        assertThat(stats.path("replyFailures").asLong()).isZero();
        Thread.sleep(300);
        assertThat(api.sent()).hasSize(3);
        assertThat(deliveries.get()).isEqualTo(3);
    }

    @Test
    void aCallTheApiRefusesIsCountedAndTheUpdateStaysAcknowledged() throws Exception {
        api.refuse("sendMessage", "Bad Request: chat not found");
        startBot((text, chat) -> new String[] {"application/json",
                "{\"method\":\"sendMessage\",\"chat_id\":" + chat + ",\"text\":\"x\"}"});
        api.message(9, "hello");

        await("the refusal counted", () -> bridge.stats().replyFailures() == 1);
        BridgeStats stats = bridge.stats();
        assertThat(stats.delivered()).isEqualTo(1);
        assertThat(stats.lastProblem()).contains("sendMessage").contains("chat not found").doesNotContain(TOKEN);
        await("the update confirmed", () -> api.pending() == 0);
        Thread.sleep(300);
        assertThat(deliveries.get()).as("delivered once: the bot handled it").isEqualTo(1);
    }

    @Test
    void aCallThatWouldTakeOverTheUpdatesIsNotMade() throws Exception {
        startBot((text, chat) -> new String[] {"application/json", "{\"method\":\"" + text + "\",\"offset\":-1,"
                + "\"url\":\"https://evil.example/hook\"}"});
        api.message(3, "getUpdates");
        api.message(3, "SetWebhook");
        api.message(3, "deleteWebhook");

        await("three refusals counted", () -> bridge.stats().replyFailures() == 3);
        assertThat(api.webhookUrl()).as("no webhook set for the bot").isNullOrEmpty();
        assertThat(api.calls("setWebhook") + api.calls("deleteWebhook")).isZero();
        assertThat(bridge.stats().lastProblem()).contains("deleteWebhook").contains("not made");
        api.message(3, "sendMessage");
        await("polling goes on: the fourth delivered", () -> bridge.stats().delivered() == 4);
        assertThat(bridge.stats().conflicts()).isZero();
    }

    @Test
    void anAnswerBeyondTheBoundIsNotReadForACallAndStillAcknowledges() throws Exception {
        String padding = "x".repeat(RouterDelivery.MAX_REPLY_BYTES);
        startBot((text, chat) -> new String[] {"application/json",
                "{\"method\":\"sendMessage\",\"chat_id\":" + chat + ",\"text\":\"" + text + "\",\"pad\":\"" + padding
                        + "\"}"});
        api.message(4, "big");
        await("delivered", () -> bridge.stats().delivered() == 1);
        await("confirmed", () -> api.pending() == 0);
        assertThat(api.sent()).isEmpty();
        assertThat(bridge.stats().replies()).isZero();
    }

    @Test
    void everyDeliveryCarriesTheSecretWhenOneIsGiven() throws Exception {
        startBot((text, chat) -> new String[] {"text/plain", "ok"}, "bridge-secret_42");
        api.message(1, "a");
        api.message(2, "b");
        await("both delivered", () -> bridge.stats().delivered() == 2);
        assertThat(secrets).containsExactly("bridge-secret_42", "bridge-secret_42");
    }

    @Test
    void withoutASecretNoneIsSent() throws Exception {
        startBot((text, chat) -> new String[] {"text/plain", "ok"});
        api.message(1, "a");
        await("delivered", () -> bridge.stats().delivered() == 1);
        assertThat(secrets).containsExactly("");
    }

    /** What the bot answers a message: {content type, body}. */
    private interface Answers {
        String[] of(String text, long chat);
    }

    private void startBot(Answers answers) {
        startBot(answers, null);
    }

    private void startBot(Answers answers, String secret) {
        bot = LoopbackHttp.bind(4);
        bot.createContext("/", exchange -> {
            String header = exchange.getRequestHeaders().getFirst(RouterDelivery.SECRET_HEADER);
            secrets.add(header == null ? "" : header);
            JsonNode message = JSON.readTree(exchange.getRequestBody().readAllBytes()).path("message");
            deliveries.incrementAndGet();
            String[] answer = answers.of(message.path("text").asText(), message.path("chat").path("id").asLong());
            byte[] body = answer[1].getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer[0]);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        bot.start();
        router = OneBotRouter.to(LoopbackHttp.uri(bot), dir).start();
        BridgeSettings settings = BridgeSettings.of(api.baseUrl(), new BotToken(TOKEN), dir)
                .withPollTimeout(Duration.ofSeconds(1));
        bridge = PollingBridge.start(settings, new RouterDelivery(router.listenUri(), "/webhook", Duration.ofSeconds(10),
                secret),
                StickyField.parse("$.message.chat.id")::valueIn);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for: " + what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
