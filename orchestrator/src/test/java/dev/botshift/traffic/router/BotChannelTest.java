package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The look before a kept connection to a bot is reused: a connection the bot closed (its end of the stream sent, not
 * yet read by the loop) or sent something on between exchanges is not reused; a quiet open one is, and the look takes
 * nothing from it.
 */
class BotChannelTest {
    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aConnectionTheBotClosedOrSpokeOnIsNotReusedAQuietOneIs() throws Exception {
        try (ServerSocket bot = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Channel quiet = connect(bot);
            try (Socket quietEnd = bot.accept()) {
                assertThat(look(quiet)).as("open and quiet").isFalse();
                assertThat(look(quiet)).as("looked at again").isFalse();

                Channel closed = connect(bot);
                bot.accept().close();
                Thread.sleep(50); // the end is in the router's socket, unread by the loop
                assertThat(closed.isActive()).as("the loop has not seen the end yet").isTrue();
                assertThat(look(closed)).as("closed by the bot").isTrue();

                Channel spoke = connect(bot);
                try (Socket spokeEnd = bot.accept()) {
                    spokeEnd.getOutputStream().write('x');
                    Thread.sleep(50);
                    assertThat(look(spoke)).as("a byte nobody asked for").isTrue();
                }
                assertThat(quietEnd.isClosed()).isFalse();
            }
        }
    }

    /** A connection to {@code bot} whose reads the loop does not take ({@code autoRead} off), as a kept one waits. */
    private Channel connect(ServerSocket bot) throws InterruptedException {
        return new Bootstrap().group(loop).channelFactory(BotChannel::new)
                .option(io.netty.channel.ChannelOption.AUTO_READ, false)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(bot.getLocalSocketAddress()).sync().channel();
    }

    private static boolean look(Channel channel) throws Exception {
        return channel.eventLoop().submit(() -> ((BotChannel) channel).closedByBot()).get(5, TimeUnit.SECONDS);
    }
}
