package dev.botshift.traffic.polling;

import java.io.IOException;
import java.util.Optional;

/** Hands one update to a bot, the way a webhook would, and says what it answered. */
@FunctionalInterface
public interface Delivery {
    /**
     * @return the bot's answer: its HTTP status (2xx acknowledges the update) and any Bot API call in it
     * @throws IOException when no answer came (refused, reset, timed out)
     */
    Answer deliver(TelegramUpdate update) throws IOException, InterruptedException;

    /**
     * @param status the HTTP status of the answer
     * @param reply  the Bot API call the answer's body asks for ({@link WebhookReply}), if any
     */
    record Answer(int status, Optional<WebhookReply> reply) {
        public static Answer of(int status) {
            return new Answer(status, Optional.empty());
        }

        boolean acknowledged() {
            return status >= 200 && status < 300;
        }
    }
}
