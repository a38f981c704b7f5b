package dev.botshift.traffic.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code getWebhookInfo} says about a bot's webhook (the fields Botshift uses or shows).
 *
 * @param url                the webhook URL, empty when none is set (the bot is polled)
 * @param pendingUpdateCount updates waiting for delivery
 * @param lastErrorDate      when the last delivery failed, or null
 * @param lastErrorMessage   why, as Telegram words it, or null
 * @param maxConnections     the delivery concurrency set, or null
 * @param allowedUpdates     the update types delivered, or null for Telegram's default
 */
public record WebhookInfo(String url, long pendingUpdateCount, Instant lastErrorDate, String lastErrorMessage,
                          Integer maxConnections, List<String> allowedUpdates) {
    public WebhookInfo {
        allowedUpdates = allowedUpdates == null ? null : List.copyOf(allowedUpdates);
    }

    /** Whether a webhook is set (else {@code getUpdates} may poll). */
    public boolean set() {
        return !url.isEmpty();
    }

    static WebhookInfo of(JsonNode result) {
        List<String> allowed = null;
        if (result.path("allowed_updates").isArray()) {
            allowed = new ArrayList<>();
            for (JsonNode type : result.get("allowed_updates")) {
                allowed.add(type.asText());
            }
        }
        return new WebhookInfo(result.path("url").asText(""), result.path("pending_update_count").asLong(0),
                result.path("last_error_date").isIntegralNumber()
                        ? Instant.ofEpochSecond(result.get("last_error_date").asLong()) : null,
                result.path("last_error_message").isTextual() ? result.get("last_error_message").asText() : null,
                result.path("max_connections").isIntegralNumber() ? result.get("max_connections").asInt() : null,
                allowed);
    }
}
