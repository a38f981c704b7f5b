package dev.botshift.traffic.router;

import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A connection to a bot that can say, before it is reused, whether the bot has closed it meanwhile. A bot that closes
 * a kept connection (its keep-alive timeout; its process ended, killed or exiting) sends its end of the stream, which
 * the router's loop reads only at its next turn: a webhook written before that meets a closed connection, and since
 * the end came first, the router reads the end and not the reset that answered the webhook, so it cannot tell the
 * webhook was never read. Looking first (Apache HttpClient's stale-connection check) closes that window but for the
 * microseconds between the look and the write.
 */
final class BotChannel extends NioSocketChannel {
    private final ByteBuffer look = ByteBuffer.allocate(1);

    /**
     * Whether the bot ended or broke the connection, or sent something nobody asked for (between exchanges it owes
     * nothing): one non-blocking read on the loop's thread, which takes nothing a later exchange would need.
     */
    boolean closedByBot() {
        look.clear();
        try {
            return javaChannel().read(look) != 0;
        } catch (IOException e) {
            return true;
        }
    }
}
