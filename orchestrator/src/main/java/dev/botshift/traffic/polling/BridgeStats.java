package dev.botshift.traffic.polling;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the bridge has done since it started ({@code GET /botshift/polling} on the router's admin port). The
 * per-colour outcomes are not here: deliveries go through the router, so they are in {@code /botshift/stats}.
 *
 * @param polls        {@code getUpdates} calls answered
 * @param received     distinct updates received
 * @param delivered    updates a bot acknowledged (2xx)
 * @param retries      failed attempts that were retried
 * @param deadLettered updates written to the dead-letter file
 * @param conflicts    409 answers: another consumer, or a webhook set
 * @param pollFailures other failed polls (unreachable, 401, 429, 5xx)
 * @param replies      Bot API calls made for the bots' answers ({@link WebhookReply})
 * @param replyFailures those the API refused or that did not reach it
 * @param offset       the offset committed (every update below it is finished), or null before the first
 * @param inFlight     updates received and not finished
 * @param lastProblem  the last conflict or failure, token redacted; empty when none
 */
public record BridgeStats(long polls, long received, long delivered, long retries, long deadLettered, long conflicts,
                          long pollFailures, long replies, long replyFailures, Long offset, int inFlight,
                          String lastProblem) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode().put("polls", polls).put("received", received)
                .put("delivered", delivered).put("retries", retries).put("deadLettered", deadLettered)
                .put("conflicts", conflicts).put("pollFailures", pollFailures).put("replies", replies)
                .put("replyFailures", replyFailures).put("inFlight", inFlight)
                .put("lastProblem", lastProblem);
        if (offset == null) {
            node.putNull("offset");
        } else {
            node.put("offset", offset);
        }
        return node;
    }
}
