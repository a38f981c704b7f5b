package dev.botshift.traffic.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of new connections (a chat platform opening its connections at once, a load balancer's pool refilling)
 * is queued by the kernel for the router to accept, not dropped: a dropped connection attempt is retried by the
 * client's TCP only after a second (then 3 s, 7 s), so every dropped one is a delivery a second late or more.
 */
class RouterConnectionBurstTest {
    private static final int BURST = 400;

    @TempDir
    Path dir;

    @Test
    void everyConnectionOfABurstIsEstablishedWithoutARetry() throws IOException {
        try (RouterFixture fixture = new RouterFixture(dir); Selector selector = Selector.open()) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", fixture.router.listenUri().getPort());
            List<SocketChannel> channels = new ArrayList<>();
            try {
                for (int i = 0; i < BURST; i++) {
                    SocketChannel channel = SocketChannel.open();
                    channels.add(channel);
                    channel.configureBlocking(false);
                    if (!channel.connect(address)) {
                        channel.register(selector, SelectionKey.OP_CONNECT);
                    }
                }
                int connected = (int) channels.stream().filter(SocketChannel::isConnected).count();
                // the first retry of a dropped attempt comes after 1 s: anything still pending at 800 ms was dropped
                long deadline = System.nanoTime() + 800_000_000L;
                long left;
                while (connected < BURST && (left = deadline - System.nanoTime()) > 0) {
                    selector.select(Math.max(1, left / 1_000_000));
                    for (SelectionKey key : selector.selectedKeys()) {
                        if (((SocketChannel) key.channel()).finishConnect()) {
                            key.cancel();
                            connected++;
                        }
                    }
                    selector.selectedKeys().clear();
                }
                assertEquals(BURST, connected, "connections established within 800 ms of a burst of " + BURST);
            } finally {
                for (SocketChannel channel : channels) {
                    channel.close();
                }
            }
        }
    }
}
