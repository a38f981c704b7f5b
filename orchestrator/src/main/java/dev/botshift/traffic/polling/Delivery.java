package dev.botshift.traffic.polling;

import java.io.IOException;

/** Hands one update to a bot, the way a webhook would, and says what it answered. */
@FunctionalInterface
public interface Delivery {
    /**
     * @return the HTTP status of the answer (2xx acknowledges the update)
     * @throws IOException when no answer came (refused, reset, timed out)
     */
    int deliver(TelegramUpdate update) throws IOException, InterruptedException;
}
