package dev.botshift.traffic.polling;

import java.time.Duration;
import java.util.List;

/** What one {@code getUpdates} call gave: updates, a conflict with another consumer, or a failure to retry. */
public sealed interface PollResult {

    /** The call succeeded (possibly with no updates: the long poll timed out). */
    record Updates(List<TelegramUpdate> updates) implements PollResult {
        public Updates {
            updates = List.copyOf(updates);
        }
    }

    /**
     * 409: another {@code getUpdates} consumer took over, or a webhook is set. The bridge never resolves it by itself
     * (deleting a webhook or outpolling another consumer changes someone else's delivery): it reports and retries.
     *
     * @param description the API's description, which says which of the two it is
     */
    record Conflict(String description) implements PollResult {
    }

    /**
     * The API could not be reached or refused otherwise (401 bad token, 429, 5xx).
     *
     * @param description what happened, token redacted
     * @param retryAfter  the API's {@code retry_after}, or null
     */
    record Failed(String description, Duration retryAfter) implements PollResult {
    }
}
