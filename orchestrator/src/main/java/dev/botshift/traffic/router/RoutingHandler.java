package dev.botshift.traffic.router;

import dev.botshift.core.Slot;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Sits in front of Jetty's {@code ProxyHandler.Reverse}: reads the (small, webhook) body, verifies that the chat
 * platform sent it, picks the colour and the backend, marks the response with {@value #COLOUR_HEADER}, and hands
 * the request on with its body buffered so the proxy can forward it.
 *
 * <p>Counting: a request that fails verification is refused (401/403) before any of that and counted by reason only:
 * it never reaches a bot and is in no slot's numbers. Every routed request counts against its slot; one that is
 * not a valid update (not JSON, no sticky key) is also counted as invalid, so verdicts can leave it out.
 */
final class RoutingHandler extends Handler.Wrapper {
    static final String SLOT_HEADER = "X-Botshift-Slot";
    static final String BACKEND_ATTRIBUTE = RoutingHandler.class.getName() + ".backend";
    /** Webhook updates are a few KiB; anything far larger is not a chat update and is refused before buffering. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private final Supplier<RouterConfig> config;
    private final RouterMetrics metrics;
    private final WebhookVerifier verifier;
    private final GuardWatch guard;
    private final Map<Slot, AtomicLong> turns = new EnumMap<>(Slot.class);
    /** The config's stickyBy, parsed once per text rather than once per request (a regex and a JSON pointer). */
    private volatile StickyField sticky;

    RoutingHandler(Supplier<RouterConfig> config, RouterMetrics metrics, WebhookVerifier verifier, GuardWatch guard,
                   Handler proxy) {
        super(proxy);
        this.config = config;
        this.metrics = metrics;
        this.verifier = verifier;
        this.guard = guard;
        for (Slot slot : Slot.values()) {
            turns.put(slot, new AtomicLong());
        }
    }

    /** The URI rewrite given to the proxy: the backend chosen here, plus the client's path and query. */
    static HttpURI rewrite(Request request) {
        URI backend = (URI) request.getAttribute(BACKEND_ATTRIBUTE);
        HttpURI original = request.getHttpURI();
        // from the URI's parts: no regex and no parse of the backend's text per request
        return HttpURI.build()
                .scheme(backend.getScheme())
                .user(backend.getRawUserInfo())
                .host(backend.getHost())
                .port(backend.getPort())
                .path(withoutTrailingSlashes(backend.getRawPath()) + original.getPath())
                .query(original.getQuery());
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

    private StickyField stickyField(String path) {
        if (path == null) {
            return null;
        }
        StickyField parsed = sticky;
        if (parsed == null || !parsed.path().equals(path)) {
            parsed = StickyField.parse(path);
            sticky = parsed;
        }
        return parsed;
    }

    /**
     * Non-blocking: nothing on the way waits (the body is read asynchronously, the proxy's client sends without
     * waiting), so Jetty may run a request on the thread that read it instead of handing it to another one.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        Content.Source.asByteArrayAsync(request, MAX_BODY_BYTES).whenComplete((body, failure) -> {
            if (failure != null) {
                Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, "request body unreadable or too large");
                return;
            }
            route(request, response, callback, body, start);
        });
        return true;
    }

    private void route(Request request, Response response, Callback callback, byte[] body, long start) {
        Optional<Refusal> refusal = verifier.check(request.getMethod(), request.getHttpURI().getQuery(),
                name -> request.getHeaders().get(name), body);
        if (refusal.isPresent()) {
            metrics.refused(refusal.get());
            AdminHandler.writeJsonError(response, callback, refusal.get().status(),
                    "webhook verification failed (" + refusal.get().label() + ")");
            return;
        }
        RouterConfig current = config.get();
        if (!current.canServe()) {
            Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "no slot has backends and weight");
            return;
        }
        InvalidUpdate.Reading update = InvalidUpdate.read(body, stickyField(current.stickyBy()));
        Slot slot = BucketSplit.pick(current.effectivePercentOfB(), update.key(),
                () -> ThreadLocalRandom.current().nextInt(BucketSplit.BUCKETS));
        List<URI> backends = current.backendsOf(slot);
        URI backend = backends.get((int) Math.floorMod(turns.get(slot).getAndIncrement(), (long) backends.size()));

        Request buffered = new BufferedRequest(request, body);
        buffered.setAttribute(BACKEND_ATTRIBUTE, backend);
        response.getHeaders().put(SLOT_HEADER, slot.label());
        Callback counting = Callback.from(
                () -> {
                    answered(current, slot, response.getStatus(), System.nanoTime() - start, update.invalid());
                    callback.succeeded();
                },
                failure -> {
                    answered(current, slot, HttpStatus.BAD_GATEWAY_502, System.nanoTime() - start, update.invalid());
                    callback.failed(failure);
                });
        try {
            if (!getHandler().handle(buffered, response, counting)) {
                Response.writeError(buffered, response, counting, HttpStatus.NOT_FOUND_404);
            }
        } catch (Exception e) {
            counting.failed(e);
        }
    }

    /**
     * Counts an answer, and lets the guard weigh it as the judge would (a valid update, or a 5xx to anything) under
     * the config the request was routed by.
     */
    private void answered(RouterConfig routedBy, Slot slot, int status, long nanos, InvalidUpdate invalid) {
        metrics.record(slot, status, nanos, invalid);
        guard.observe(routedBy, slot, status, invalid == null || status >= 500);
    }

    /** The client's request with its body replaced by the bytes already read, so it can be read again. */
    private static final class BufferedRequest extends Request.Wrapper {
        private final ByteBufferContentSource body;
        private final long length;

        BufferedRequest(Request request, byte[] bytes) {
            super(request);
            this.body = new ByteBufferContentSource(ByteBuffer.wrap(bytes));
            this.length = bytes.length;
        }

        @Override
        public long getLength() {
            return length;
        }

        @Override
        public Content.Chunk read() {
            return body.read();
        }

        @Override
        public void demand(Runnable demandCallback) {
            body.demand(demandCallback);
        }

        @Override
        public void fail(Throwable failure) {
            body.fail(failure);
        }

        @Override
        public boolean rewind() {
            return body.rewind();
        }
    }
}
