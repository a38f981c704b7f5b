package dev.botshift.traffic.router;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The router's connections to the bots, one set per event loop: a webhook read on a loop is written to the bot, and
 * the bot's answer read and written back, by that loop's thread alone, with no hand-off between threads (what made
 * Jetty's proxy path cost more CPU per request than nginx's; docs/benchmarks.md, part 8). Kept-alive connections are
 * reused; each is used by one exchange at a time. Confined to its loop: no locks.
 */
final class BotConnections {
    /** A bot's answer to a webhook is a Bot API call or nothing: anything far larger is not one, and is a 502. */
    static final int MAX_ANSWER_BYTES = 8 << 20;
    /** Jetty's client's default, which the router had before. */
    private static final int CONNECT_TIMEOUT_MILLIS = 15_000;

    private final Duration answerTimeout;
    private final Bootstrap bootstrap;
    private final Map<String, ArrayDeque<Channel>> idle = new HashMap<>();

    /** How one exchange ends: the bot's answer (the receiver releases it), or why there is none. */
    interface Answer {
        void answered(FullHttpResponse response);

        /** {@code timedOut}: the bot was silent beyond the answer timeout (504), otherwise unreachable or broken (502). */
        void failed(Throwable cause, boolean timedOut);
    }

    /** {@code names}: resolves a bot's host name without blocking {@code loop} ({@link WebhookPort}'s). */
    BotConnections(EventLoop loop, Duration answerTimeout, AddressResolverGroup<?> names) {
        this.answerTimeout = answerTimeout;
        this.bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class).resolver(names)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        // silent beyond the answer timeout between two reads: nginx's proxy_read_timeout rule
                        channel.pipeline().addLast(
                                new IdleStateHandler(answerTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS),
                                new HttpClientCodec(),
                                new HttpObjectAggregator(MAX_ANSWER_BYTES),
                                new Exchange());
                    }
                });
    }

    /** Sends {@code request} (released here) to {@code backend}; {@code answer} is called once, on this loop. */
    void send(URI backend, FullHttpRequest request, Answer answer) {
        String key = backend.getHost() + ":" + backend.getPort();
        ArrayDeque<Channel> kept = idle.get(key);
        Channel channel;
        while (kept != null && (channel = kept.pollLast()) != null) {
            if (channel.isActive()) {
                write(channel, key, request, answer);
                return;
            }
        }
        int port = backend.getPort() < 0 ? 80 : backend.getPort();
        bootstrap.connect(InetSocketAddress.createUnresolved(backend.getHost(), port)).addListener(
                (ChannelFutureListener) connected -> {
                    if (connected.isSuccess()) {
                        write(connected.channel(), key, request, answer);
                    } else {
                        ReferenceCountUtil.release(request);
                        answer.failed(connected.cause(), false);
                    }
                });
    }

    private void write(Channel channel, String key, FullHttpRequest request, Answer answer) {
        Exchange exchange = channel.pipeline().get(Exchange.class);
        exchange.begin(key, answer);
        channel.writeAndFlush(request).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess()) {
                exchange.fail(written.cause(), false);
                written.channel().close();
            }
        });
    }

    private void keep(String key, Channel channel) {
        idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(channel);
    }

    /** The one exchange a bot connection carries at a time, and what to do with the connection after it. */
    private final class Exchange extends ChannelInboundHandlerAdapter {
        private String key;
        private Answer waiting;

        void begin(String key, Answer answer) {
            this.key = key;
            this.waiting = answer;
        }

        void fail(Throwable cause, boolean timedOut) {
            Answer answer = waiting;
            waiting = null;
            if (answer != null) {
                answer.failed(cause, timedOut);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            Answer answer = waiting;
            if (!(message instanceof FullHttpResponse response) || answer == null) {
                ReferenceCountUtil.release(message); // nothing asked for it: a bot talking out of turn
                ctx.close();
                return;
            }
            waiting = null;
            if (!response.decoderResult().isSuccess()) {
                ReferenceCountUtil.release(response);
                ctx.close();
                answer.failed(response.decoderResult().cause(), false);
                return;
            }
            if (HttpUtil.isKeepAlive(response)) {
                keep(key, ctx.channel());
            } else {
                ctx.close();
            }
            answer.answered(response);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent idleEvent && idleEvent.state() == IdleState.READER_IDLE) {
                // a kept connection unused that long is closed too: the bot may have forgotten it
                fail(new java.util.concurrent.TimeoutException("the bot was silent for " + answerTimeout), true);
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ArrayDeque<Channel> kept = key == null ? null : idle.get(key);
            if (kept != null) {
                kept.remove(ctx.channel());
            }
            fail(new java.io.IOException("the bot closed the connection before answering"), false);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause, false);
            ctx.close();
        }
    }
}
