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
 * reused while fresh ({@link #REUSE_WITHIN}) and not closed by the bot ({@link BotChannel}); each is used by one
 * exchange at a time, and a request the bot reset on one, unread, goes once more on a new connection. Confined to its
 * loop: no locks.
 */
final class BotConnections {
    /** A bot's answer to a webhook is a Bot API call or nothing: anything far larger is not one, and is a 502. */
    static final int MAX_ANSWER_BYTES = 8 << 20;
    /** Jetty's client's default, which the router had before. */
    private static final int CONNECT_TIMEOUT_MILLIS = 15_000;
    /**
     * How long a kept connection the bot has not used stays reusable. A bot's HTTP server closes a connection idle
     * for its keep-alive timeout (gunicorn 2 s, Node's and uvicorn's 5 s, the JDK's 30 s): a webhook written to it
     * as the bot closes it reaches no handler and is a 502 counted against its colour. Below every one of those, a
     * connection is never written to near that moment; a quiet bot gets a new connection (well under a millisecond
     * on loopback or in a cluster), a busy one keeps reusing its connections.
     */
    static final Duration REUSE_WITHIN = Duration.ofSeconds(1);

    private final Duration answerTimeout;
    private final Bootstrap bootstrap;
    /** Per bot address, the connections waiting for their next exchange: the most recently used last. */
    private final Map<String, ArrayDeque<Kept>> idle = new HashMap<>();

    /** A connection between two exchanges, and since when ({@link System#nanoTime()}). */
    private record Kept(Channel channel, long since) {
    }

    /** How one exchange ends: the bot's answer (the receiver releases it), or why there is none. */
    interface Answer {
        void answered(FullHttpResponse response);

        /**
         * {@code timedOut}: the bot was silent beyond the answer timeout (504), otherwise broken off (502): the
         * request may have been handled, so it is not sent again.
         */
        void failed(Throwable cause, boolean timedOut);

        /**
         * The bot cannot have handled the request: no connection could be made, or the bot's end reset it with the
         * request unread and no byte of an answer sent ({@link BotReset}). It may go elsewhere.
         */
        default void notTaken(Throwable cause) {
            failed(cause, false);
        }
    }

    /** {@code names}: resolves a bot's host name without blocking {@code loop} ({@link WebhookPort}'s). */
    BotConnections(EventLoop loop, Duration answerTimeout, AddressResolverGroup<?> names) {
        this.answerTimeout = answerTimeout;
        this.bootstrap = new Bootstrap().group(loop).channelFactory(BotChannel::new).resolver(names)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        // silent beyond the answer timeout between two reads: nginx's proxy_read_timeout rule
                        Exchange exchange = new Exchange();
                        channel.pipeline().addLast(
                                new IdleStateHandler(answerTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS),
                                exchange.answerBytes(),
                                new HttpClientCodec(),
                                new HttpObjectAggregator(MAX_ANSWER_BYTES),
                                exchange);
                    }
                });
        // a connection no longer reused is closed soon after (a quarter of REUSE_WITHIN), before the bot's own timeout
        // closes it: not left open until the answer timeout
        long sweep = REUSE_WITHIN.dividedBy(4).toMillis();
        loop.scheduleAtFixedRate(this::closeStale, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /** Sends {@code request} (released here) to {@code backend}; {@code answer} is called once, on this loop. */
    void send(URI backend, FullHttpRequest request, Answer answer) {
        String key = backend.getHost() + ":" + backend.getPort();
        ArrayDeque<Kept> kept = idle.get(key);
        long now = System.nanoTime();
        Kept last;
        while (kept != null && (last = kept.pollLast()) != null) {
            if (!last.channel().isActive()) {
                continue;
            }
            if (((BotChannel) last.channel()).closedByBot()) {
                last.channel().close(); // closed by the bot since its last answer: the next one may be fresh
                continue;
            }
            if (now - last.since() > REUSE_WITHIN.toNanos()) {
                last.channel().close(); // the freshest is stale: so are the ones before it
                continue;
            }
            // a copy is written: the request stays here, to be sent on a new connection should the bot turn out to have
            // closed this one (it resets it, the request unread)
            write(last.channel(), key, request.retainedDuplicate(), answer, new Resend(backend, request));
            return;
        }
        connect(backend, key, request, answer);
    }

    private void connect(URI backend, String key, FullHttpRequest request, Answer answer) {
        int port = backend.getPort() < 0 ? 80 : backend.getPort();
        bootstrap.connect(InetSocketAddress.createUnresolved(backend.getHost(), port)).addListener(
                (ChannelFutureListener) connected -> {
                    if (connected.isSuccess()) {
                        write(connected.channel(), key, request, answer, null);
                    } else {
                        ReferenceCountUtil.release(request);
                        answer.notTaken(connected.cause());
                    }
                });
    }

    /** A request written on a kept connection, kept until its exchange ends: for one new connection to its bot. */
    private record Resend(URI backend, FullHttpRequest request) {
    }

    private void write(Channel channel, String key, FullHttpRequest request, Answer answer, Resend resend) {
        Exchange exchange = channel.pipeline().get(Exchange.class);
        exchange.begin(key, answer, resend);
        channel.writeAndFlush(request).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess()) {
                exchange.broke(written.cause());
                written.channel().close();
            }
        });
    }

    private void keep(String key, Channel channel) {
        idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(new Kept(channel, System.nanoTime()));
    }

    private void closeStale() {
        long now = System.nanoTime();
        for (ArrayDeque<Kept> kept : idle.values()) {
            while (!kept.isEmpty() && now - kept.peekFirst().since() > REUSE_WITHIN.toNanos()) {
                kept.pollFirst().channel().close();
            }
        }
        idle.values().removeIf(ArrayDeque::isEmpty);
    }

    /** The one exchange a bot connection carries at a time, and what to do with the connection after it. */
    private final class Exchange extends ChannelInboundHandlerAdapter {
        private String key;
        private Answer waiting;
        /** Whether any byte of the bot's answer to the exchange under way came. */
        private boolean heard;
        /** On a kept connection, the request for a new one; released once the exchange ends otherwise. */
        private Resend resend;

        void begin(String key, Answer answer, Resend resend) {
            this.key = key;
            this.waiting = answer;
            this.heard = false;
            this.resend = resend;
        }

        /** The exchange ended without a new connection: the request kept for one is not needed. */
        private void forgetResend() {
            if (resend != null) {
                ReferenceCountUtil.release(resend.request());
                resend = null;
            }
        }

        /** Notes the first byte of an answer: placed before the codec, which passes on only a whole answer. */
        ChannelInboundHandlerAdapter answerBytes() {
            return new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object message) {
                    heard = true;
                    ctx.fireChannelRead(message);
                }
            };
        }

        void fail(Throwable cause, boolean timedOut) {
            forgetResend();
            Answer answer = waiting;
            waiting = null;
            if (answer != null) {
                answer.failed(cause, timedOut);
            }
        }

        /**
         * The connection broke under the exchange. Where the bot reset it before answering anything, the request was
         * not taken: written on a kept connection, it goes once on a new one to the same bot (a server closes idle
         * connections; Go's and OkHttp's clients do the same), which a dead bot refuses; otherwise the caller
         * decides where it goes.
         */
        void broke(Throwable cause) {
            Answer answer = waiting;
            waiting = null;
            if (answer == null) {
                forgetResend();
                return;
            }
            if (!heard && BotReset.is(cause)) {
                if (resend != null) {
                    Resend again = resend;
                    resend = null;
                    connect(again.backend(), key, again.request(), answer);
                } else {
                    answer.notTaken(cause);
                }
            } else {
                forgetResend();
                answer.failed(cause, false);
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
            forgetResend();
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
                // in an exchange, the bot was silent that long; a kept connection is closed sooner (closeStale)
                fail(new java.util.concurrent.TimeoutException("the bot was silent for " + answerTimeout), true);
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ArrayDeque<Kept> kept = key == null ? null : idle.get(key);
            if (kept != null) {
                kept.removeIf(k -> k.channel() == ctx.channel());
            }
            fail(new java.io.IOException("the bot closed the connection before answering"), false);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            broke(cause);
            ctx.close();
        }
    }
}
