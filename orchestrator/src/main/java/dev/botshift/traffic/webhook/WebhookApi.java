package dev.botshift.traffic.webhook;

import dev.botshift.os.NetworkFailures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botshift.traffic.polling.BotToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * The Bot API methods that manage a bot's webhook: {@code setWebhook}, {@code deleteWebhook}, {@code getWebhookInfo},
 * each a POST with a JSON body. Every message names the method and the base URL, never the token (which is in the
 * request URL) and never the secret (which is in the body).
 */
public final class WebhookApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI apiUrl;
    private final BotToken token;
    private final Duration timeout;
    private final HttpClient http;

    /** @param timeout how long one call may take, connecting included */
    public WebhookApi(URI apiUrl, BotToken token, Duration timeout) {
        this.apiUrl = apiUrl;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public WebhookInfo info() {
        return WebhookInfo.of(call("getWebhookInfo", JSON.createObjectNode()));
    }

    /**
     * {@code setWebhook}: Telegram delivers to {@code url} from now on, with {@code secret} in the
     * {@code X-Telegram-Bot-Api-Secret-Token} header. Pending updates are kept unless {@code dropPending}.
     *
     * @param allowedUpdates the update types, or null to keep Telegram's setting
     * @param maxConnections the delivery concurrency, or null to keep Telegram's setting
     */
    public void set(URI url, String secret, List<String> allowedUpdates, Integer maxConnections, boolean dropPending) {
        ObjectNode body = JSON.createObjectNode().put("url", url.toString()).put("secret_token", secret)
                .put("drop_pending_updates", dropPending);
        if (allowedUpdates != null) {
            allowedUpdates.forEach(body.putArray("allowed_updates")::add);
        }
        if (maxConnections != null) {
            body.put("max_connections", maxConnections);
        }
        call("setWebhook", body);
    }

    /** {@code deleteWebhook}: the bot may be polled again; pending updates are kept unless {@code dropPending}. */
    public void delete(boolean dropPending) {
        call("deleteWebhook", JSON.createObjectNode().put("drop_pending_updates", dropPending));
    }

    private JsonNode call(String method, ObjectNode body) {
        String where = method + " at " + apiUrl;
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(token.methodUri(apiUrl, method))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a " + method + " request", e);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw BotApiException.timedOut("the Bot API did not answer " + where + " within "
                    + dev.botshift.core.DurationText.format(timeout) + " (was the change made? 'botshift webhook info'"
                    + " tells)");
        } catch (IOException e) {
            throw BotApiException.refused("the Bot API cannot be reached (" + where + "): "
                    + token.redact(NetworkFailures.why(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BotApiException.timedOut(where + ": interrupted");
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.isObject()) {
            throw BotApiException.refused(where + ": HTTP " + response.statusCode()
                    + " with a body that is not a Bot API answer (is the API URL right?)");
        }
        if (response.statusCode() != 200 || !answer.path("ok").asBoolean()) {
            String description = token.redact(answer.path("description").asText(""));
            throw BotApiException.refused(where + ": HTTP " + response.statusCode()
                    + (description.isEmpty() ? "" : ": " + description)
                    + (response.statusCode() == 401 ? " (is the token right?)" : ""));
        }
        return answer.path("result");
    }

    @Override
    public String toString() {
        return "WebhookApi[" + apiUrl + "]";
    }
}
