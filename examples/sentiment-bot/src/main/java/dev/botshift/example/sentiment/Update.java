package dev.botshift.example.sentiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The part of a Telegram-like update the bot uses. */
public record Update(long updateId, long chatId, long userId, String text) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses a webhook body; a message without text (a sticker, a photo) is stored with empty text. */
    public static Update parse(byte[] body) throws MalformedUpdateException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedUpdateException("body is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new MalformedUpdateException("body could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedUpdateException("body is not a JSON object");
        }
        JsonNode message = root.path("message");
        JsonNode text = message.path("text");
        return new Update(
                number(root, "update_id", "update_id"),
                number(message.path("chat"), "id", "message.chat.id"),
                number(message.path("from"), "id", "message.from.id"),
                text.isTextual() ? text.asText() : "");
    }

    private static long number(JsonNode parent, String field, String path) throws MalformedUpdateException {
        JsonNode node = parent.path(field);
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new MalformedUpdateException(path + " must be an integer");
        }
        return node.asLong();
    }

    /** The webhook body is not an update the bot understands. */
    public static final class MalformedUpdateException extends Exception {
        public MalformedUpdateException(String message) {
            super(message);
        }
    }
}
