package dev.botshift.traffic.polling;

import java.io.IOException;

/**
 * The router answered by itself, without a colour (503: no colour has backends and weight, as before the first
 * release is up). No bot saw the update, so it is retried without using up one of its attempts: an update must not
 * reach the dead-letter file because no bot was running yet.
 */
public final class NotRoutedException extends IOException {
    public NotRoutedException(String message) {
        super(message);
    }
}
