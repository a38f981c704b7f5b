package dev.botshift.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The webhook {@link FakeTelegramApi} holds: what {@code setWebhook} set and {@code deleteWebhook} cleared, reported
 * by {@code getWebhookInfo} as the real API reports it. Not thread-safe: the API calls it under its own lock.
 */
final class FakeWebhook {
    private String url = "";
    private String secret;
    private JsonNode allowedUpdates;
    private Integer maxConnections;
    private String lastError;

    boolean active() {
        return !url.isEmpty();
    }

    String url() {
        return url;
    }

    String secret() {
        return secret;
    }

    Integer maxConnections() {
        return maxConnections;
    }

    void lastError(String message) {
        lastError = message;
    }

    void set(Map<String, JsonNode> p) {
        url = p.containsKey("url") ? p.get("url").asText() : "";
        secret = p.containsKey("secret_token") ? p.get("secret_token").asText() : null;
        if (p.containsKey("allowed_updates")) { // like the real API: absent keeps the previous setting
            allowedUpdates = BotApiWire.json(p.get("allowed_updates"));
        }
        if (p.containsKey("max_connections")) {
            maxConnections = p.get("max_connections").asInt();
        }
    }

    void delete() {
        url = "";
        secret = null;
    }

    /** {@code getWebhookInfo}'s result, with {@code pending} updates waiting. */
    ObjectNode info(int pending) {
        ObjectNode info = BotApiWire.JSON.createObjectNode().put("url", url).put("has_custom_certificate", false)
                .put("pending_update_count", pending);
        if (active()) {
            info.put("max_connections", maxConnections == null ? 40 : maxConnections);
            if (allowedUpdates != null) {
                info.set("allowed_updates", allowedUpdates.deepCopy());
            }
        }
        if (lastError != null) {
            info.put("last_error_date", System.currentTimeMillis() / 1000).put("last_error_message", lastError);
        }
        return info;
    }
}
