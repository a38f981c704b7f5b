package dev.botshift.traffic.router;

import dev.botshift.core.Slot;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One webhook connection: reads each (small, webhook) request whole, verifies that the chat platform sent it, picks
 * the colour and the backend, forwards it with {@link ForwardedHeaders}' rules and writes the bot's answer back,
 * marked with {@value #SLOT_HEADER}. All of it on the connection's event loop: nothing on the way blocks, and the
 * guard's cut is made here in memory and stored on another thread ({@link GuardWatch}).
 *
 * <p>Requests on one connection are answered in the order they came (HTTP/1.1 pipelining): the next one is routed
 * once the previous answer is written.
 *
 * <p>Counting: a request that fails verification is refused (401/403) before any of that and counted by reason only:
 * it never reaches a bot and is in no slot's numbers. Every routed request counts against its slot; one that is
 * not a valid update (not JSON, no sticky key) is also counted as invalid, so verdicts can leave it out.
 */
final class RoutingHandler extends ChannelInboundHandlerAdapter {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RoutingHandler.class);
    static final String SLOT_HEADER = "X-Botshift-Slot";
    /** Webhook updates are a few KiB; anything far larger is not a chat update and is refused before buffering. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private final WebhookPort port;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean busy;

    RoutingHandler(WebhookPort port) {
        this.port = port;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (!(message instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(message);
            return;
        }
        waiting.addLast(request);
        if (busy) {
            // a request waiting its turn: nothing more is read from this connection until the queue drains, so a
            // client pipelining 1 MiB bodies holds one or two of them in memory, not as many as it sends
            ctx.channel().config().setAutoRead(false);
        } else {
            next(ctx);
        }
    }

    private void next(ChannelHandlerContext ctx) {
        FullHttpRequest request = waiting.pollFirst();
        if (request == null) {
            busy = false;
            ctx.channel().config().setAutoRead(true);
            return;
        }
        busy = true;
        try {
            route(ctx, request);
        } catch (RuntimeException e) {
            // a defect of the router's, before the webhook went to a bot (sending it is route's last step): answered,
            // so the connection and the in-flight count stay right, and logged for a report
            LOG.error("routing a webhook failed", e);
            answer(ctx, error(500, "the router failed on this request"), false, null);
        } finally {
            request.release();
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest request) {
        long start = System.nanoTime();
        port.began();
        boolean keepAlive = HttpUtil.isKeepAlive(request) && !port.stopping();
        if (!request.decoderResult().isSuccess()) {
            unreadable(ctx, request.decoderResult().cause());
            return;
        }
        String uri = originForm(request.uri());
        if (uri == null) {
            unreadable(ctx, null);
            return;
        }
        byte[] body = ByteBufUtil.getBytes(request.content());
        int question = uri.indexOf('?');
        String path = question < 0 ? uri : uri.substring(0, question);
        String query = question < 0 ? null : uri.substring(question + 1);
        Optional<Refusal> refusal = port.verifier().check(request.method().name(), query, request.headers()::get, body);
        if (refusal.isPresent()) {
            port.metrics().refused(refusal.get());
            answer(ctx, error(refusal.get().status(), "webhook verification failed (" + refusal.get().label() + ")"),
                    keepAlive, null);
            return;
        }
        RouterConfig current = port.config();
        if (!current.canServe()) {
            answer(ctx, error(503, "no slot has backends and weight"), keepAlive, null);
            return;
        }
        StickyField sticky = port.stickyField(current.stickyBy());
        InvalidUpdate.Reading update = FormUpdate.isForm(request.headers()) ? FormUpdate.read(body, sticky)
                : InvalidUpdate.read(body, sticky);
        Slot slot = BucketSplit.pick(current.effectivePercentOfB(), update.key(),
                () -> ThreadLocalRandom.current().nextInt(BucketSplit.BUCKETS));
        URI backend = port.backendOf(current, slot);
        Routed routed = new Routed(current, slot, start, update.invalid());
        Forward forward = new Forward(request.method(), uri, request.headers(), body,
                (InetSocketAddress) ctx.channel().remoteAddress(), request.protocolVersion().text(), keepAlive, routed,
                false);
        forward(ctx, forward, backend, request.content().retainedDuplicate(), List.of());
    }

    /**
     * Sends the webhook to {@code backend}; one the bot did not take (refused, or reset unread: nothing of it was
     * handled, {@link BotConnections.Answer#notTaken}) is tried on the colour's next instance, once per instance the
     * colour had when the webhook was routed: an instance that just died (killed, or crashed, or still exiting) costs
     * its colour no 502 while another one lives. When no instance of the colour took it (its only one died), the
     * webhook goes to the other colour while that one has traffic too (both run on the same schema until the
     * contract, and a chat's state is in the shared database), counted as the other colour's. The guard
     * takes the dead one out of the router within half a second, and on the local platform its death fails green's
     * analysis as a restart does on Kubernetes (the judge does not need the 502s to see a crash).
     */
    private void forward(ChannelHandlerContext ctx, Forward f, URI backend, ByteBuf content,
                         List<URI> triedBefore) {
        FullHttpRequest toBot = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, f.method(),
                withoutTrailingSlashes(backend.getRawPath()) + f.target(), content);
        try {
            ForwardedHeaders.toBot(f.headers(), toBot.headers(), backend, f.from(), f.protocol(), f.body().length);
        } catch (RuntimeException e) {
            toBot.release(); // its body is a retained view of the request's: a defect here must not leak it
            throw e;
        }
        Slot slot = f.routed().slot();
        port.sentTo(slot);
        var answer = new BotConnections.Answer() {
            /** Whether this exchange with {@code slot}'s instance ended (one of the three below, once; on the loop). */
            private boolean ended;

            void end() {
                if (!ended) {
                    ended = true;
                    port.answeredBy(slot);
                }
            }

            @Override
            public void answered(FullHttpResponse fromBot) {
                end();
                FullHttpResponse toClient = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, fromBot.status(),
                        fromBot.content());
                ForwardedHeaders.toClient(fromBot.headers(), toClient.headers());
                answer(ctx, toClient, f.keepAlive(), f.routed());
            }

            @Override
            public void failed(Throwable cause, boolean timedOut) {
                end();
                answer(ctx, error(timedOut ? 504 : 502, timedOut ? "the bot did not answer in time"
                        : "the bot could not be reached or broke off its answer"), f.keepAlive(), f.routed());
            }

            @Override
            public void notTaken(Throwable cause) {
                end();
                List<URI> tried = new ArrayList<>(triedBefore);
                tried.add(backend);
                URI next = tried.size() < f.routed().config().backendsOf(f.routed().slot()).size()
                        ? nextBackend(port.config().backendsOf(f.routed().slot()), backend, tried) : null;
                Forward to = f;
                if (next == null) {
                    to = f.otherColour(port.config()).orElse(null);
                    if (to == null) {
                        failed(cause, false);
                        return;
                    }
                    next = port.backendOf(to.routed().config(), to.routed().slot());
                    tried = List.of();
                }
                try {
                    forward(ctx, to, next, Unpooled.wrappedBuffer(f.body()), tried);
                } catch (RuntimeException e) {
                    LOG.error("routing a webhook failed", e);
                    answer(ctx, error(500, "the router failed on this request"), false, f.routed());
                }
            }
        };
        try {
            port.bots(ctx.channel().eventLoop()).send(backend, toBot, answer);
        } catch (RuntimeException e) {
            answer.end();
            throw e;
        }
    }

    /**
     * The first instance after {@code notTaking} among its colour's backends {@code now} (the guard may have taken it
     * out: then from the first) that has not been tried with this webhook yet, if any: none is tried twice.
     */
    static URI nextBackend(List<URI> now, URI notTaking, List<URI> tried) {
        int at = now.indexOf(notTaking);
        for (int step = 1; step <= now.size(); step++) {
            URI next = now.get(Math.floorMod(at + step, now.size()));
            if (!tried.contains(next)) {
                return next;
            }
        }
        return null;
    }

    /**
     * What forwarding a webhook needs after its request is released (only its body is reference-counted: the headers
     * stay readable): the request's parts, its body as the bytes already copied for verification, and its counting.
     */
    private record Forward(HttpMethod method, String target,
                           HttpHeaders headers, byte[] body, InetSocketAddress from,
                           String protocol, boolean keepAlive, Routed routed, boolean fellBack) {

        /**
         * This webhook for the other colour, when it was not already passed over once, and both that colour had
         * traffic when the webhook was routed and has it and backends {@code now}: never to a colour the split took
         * traffic from (a green rolled back, a blue drained).
         */
        Optional<Forward> otherColour(RouterConfig now) {
            Slot other = routed.slot().other();
            if (fellBack || routed.config().weights().of(other) == 0 || now.weights().of(other) == 0
                    || now.backendsOf(other).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Forward(method, target, headers, body, from, protocol, keepAlive,
                    new Routed(now, other, routed.start(), routed.invalid()), true));
        }
    }

    /** What a routed request is counted by once answered: the config it was routed by, its slot and its start. */
    private record Routed(RouterConfig config, Slot slot, long start, InvalidUpdate invalid) {
    }

    private void answer(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive, Routed routed) {
        if (routed != null) {
            response.headers().set(SLOT_HEADER, routed.slot().label());
        }
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        int status = response.status().code();
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
            if (routed != null) {
                port.answered(routed.config(), routed.slot(), written.isSuccess() ? status : 502,
                        System.nanoTime() - routed.start(), routed.invalid());
            }
            port.done();
            if (!keepAlive || !written.isSuccess()) {
                written.channel().close();
                drop();
            } else {
                next(ctx);
            }
        });
    }

    /** A request the codec could not read: refused with why, and the connection closed (its framing is lost). */
    private void unreadable(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongHttpHeaderException) {
            answer(ctx, error(431, "request headers over 8 KiB"), false, null);
        } else if (cause instanceof TooLongHttpLineException) {
            answer(ctx, error(414, "request line over 4 KiB"), false, null);
        } else {
            answer(ctx, error(400, "malformed HTTP request"), false, null);
        }
    }

    private static FullHttpResponse error(int status, String message) {
        byte[] json = RouterConfigJson.JSON.createObjectNode().put("error", message).toString()
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(json));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        return response;
    }

    private void drop() {
        FullHttpRequest left;
        while ((left = waiting.pollFirst()) != null) {
            left.release();
        }
        busy = false;
    }

    /** Idle beyond the webhook port's idle timeout with nothing in flight: closed, as a server closes idle clients. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && !busy) {
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        drop();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset by the client, mostly: nothing to answer to
    }

    /**
     * The request target as a path and query: {@code /path?query} as sent, or that part of an absolute
     * {@code http://host/path?query} (RFC 9112 3.2.2: a server must accept it); null for anything else.
     */
    static String originForm(String target) {
        if (target.startsWith("/")) {
            return target;
        }
        try {
            URI absolute = new URI(target);
            if (!absolute.isAbsolute() || absolute.getRawAuthority() == null) {
                return null;
            }
            String path = absolute.getRawPath() == null || absolute.getRawPath().isEmpty() ? "/" : absolute.getRawPath();
            return absolute.getRawQuery() == null ? path : path + "?" + absolute.getRawQuery();
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static String withoutTrailingSlashes(String path) {
        if (path == null) {
            return "";
        }
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }
}
