package dev.botshift.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A Slack-compatible incoming-webhook payload: {@code text} for every client, one mrkdwn section block for Slack. */
record WebhookMessage(String text) {
    private static final ObjectMapper JSON = new ObjectMapper();

    String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("text", text);
        ArrayNode blocks = root.putArray("blocks");
        ObjectNode section = blocks.addObject();
        section.put("type", "section");
        ObjectNode body = section.putObject("text");
        body.put("type", "mrkdwn");
        body.put("text", text);
        return root.toString();
    }
}
