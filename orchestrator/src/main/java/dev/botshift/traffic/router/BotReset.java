package dev.botshift.traffic.router;

import java.io.IOException;
import java.util.Set;

/**
 * Whether the bot's end of a connection was reset, so that what the router wrote on it was never read whole by the
 * bot. TCP resets a connection that is closed with bytes it has not read (RFC 1122 4.2.2.13; Linux does so), and a
 * process that dies closes its connections: a webhook written to a bot instance that was killed, or that is still
 * exiting (a large JVM takes 10–100 ms to free its memory, its port still accepting connections it will never read),
 * or on a kept connection its server had closed, meets a reset. A bot that read the webhook and then died closes
 * cleanly (nothing unread): that webhook may have been handled, and is not this.
 *
 * <p>Java names a reset only in its message: reading, "Connection reset" (the JDK's NIO); writing, "Broken pipe" or
 * "Connection reset by peer" (the errno's text, also Netty's native transports' suffix). A test resets a real
 * connection (RouterOperationsTest), so a JDK that words it otherwise fails it rather than passing quietly.
 */
final class BotReset {
    private static final Set<String> RESET = Set.of("Connection reset", "Connection reset by peer", "Broken pipe");

    private BotReset() {
    }

    static boolean is(Throwable cause) {
        if (!(cause instanceof IOException) || cause.getMessage() == null) {
            return false;
        }
        String message = cause.getMessage();
        int colon = message.lastIndexOf(": ");
        return RESET.contains(message) || colon >= 0 && RESET.contains(message.substring(colon + 2));
    }
}
