package dev.botshift.traffic.polling;

import dev.botshift.os.NetworkFailures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The part of the Telegram Bot API the bridge calls: {@code getUpdates}, by POST with a JSON body, and the calls the
 * bots ask for in their answers ({@link WebhookReply}). Every message it
 * produces names the method and the base URL, never the token (which is in the request URL).
 */
final class BotApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The API's answer can take the whole long poll; allow that plus a margin before calling it lost. */
    private static final Duration MARGIN = Duration.ofSeconds(10);

    private final URI apiUrl;
    private final BotToken token;
    private final HttpClient http;

    BotApiClient(URI apiUrl, BotToken token) {
        this.apiUrl = apiUrl;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Where the bridge polls, for messages: the base URL only. */
    String where() {
        return "getUpdates at " + apiUrl;
    }

    /**
     * @param offset  the first update wanted (confirms every lower one), or null for the earliest unconfirmed
     * @param timeout the long poll, whole seconds (0: answer at once)
     * @param allowed {@code allowed_updates}, or null to leave the API's filter as it is
     */
    PollResult getUpdates(Long offset, Duration timeout, int limit, List<String> allowed) throws InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("timeout", timeout.toSeconds()).put("limit", limit);
        if (offset != null) {
            body.put("offset", offset);
        }
        if (allowed != null) {
            allowed.forEach(body.putArray("allowed_updates")::add);
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(method("getUpdates"))
                    .timeout(timeout.plus(MARGIN))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a getUpdates request", e);
        }
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return read(response.statusCode(), response.body());
        } catch (IOException e) {
            return new PollResult.Failed(token.redact(where() + ": " + NetworkFailures.why(e)), null);
        }
    }

    /** How long a call a bot made in its answer may take: Telegram does not say; a minute, as the router waits. */
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Makes the call a bot's answer asked for ({@link WebhookReply}): its body and type as the bot sent them.
     *
     * @return why it failed (the API's description, or the network's), token redacted; empty when the API took it
     */
    Optional<String> perform(WebhookReply reply) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(method(reply.method()))
                .timeout(REPLY_TIMEOUT)
                .header("Content-Type", reply.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(reply.body()))
                .build();
        String what = reply.method() + " (asked for in a bot's answer) at " + apiUrl;
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode answer;
            try {
                answer = JSON.readTree(response.body());
            } catch (IOException notJson) {
                answer = null;
            }
            if (answer != null && answer.path("ok").asBoolean(false)) {
                return Optional.empty();
            }
            String description = answer == null ? "" : answer.path("description").asText("");
            return Optional.of(token.redact(what + ": HTTP " + response.statusCode()
                    + (description.isEmpty() ? "" : " " + description)));
        } catch (IOException e) {
            return Optional.of(token.redact(what + ": " + NetworkFailures.why(e)));
        }
    }

    private URI method(String name) {
        return token.methodUri(apiUrl, name);
    }

    private PollResult read(int status, byte[] bytes) {
        JsonNode answer;
        try {
            answer = JSON.readTree(bytes);
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.isObject()) {
            return new PollResult.Failed(where() + ": HTTP " + status + " with a body that is not a Bot API answer", null);
        }
        String description = token.redact(answer.path("description").asText(""));
        if (status == 409) {
            return new PollResult.Conflict(description);
        }
        if (status != 200 || !answer.path("ok").asBoolean() || !answer.path("result").isArray()) {
            JsonNode retry = answer.path("parameters").path("retry_after");
            return new PollResult.Failed(where() + ": HTTP " + status + (description.isEmpty() ? "" : ": " + description)
                    + (status == 401 ? " (is the token right?)" : ""),
                    retry.isNumber() ? Duration.ofSeconds(retry.asLong()) : null);
        }
        List<TelegramUpdate> updates = new ArrayList<>();
        for (JsonNode update : answer.get("result")) {
            if (!update.path("update_id").isIntegralNumber()) {
                return new PollResult.Failed(where() + ": an update without an update_id", null);
            }
            try {
                updates.add(new TelegramUpdate(update.get("update_id").asLong(), JSON.writeValueAsBytes(update)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot re-serialise an update", e);
            }
        }
        return new PollResult.Updates(updates);
    }
}
