package dev.botshift.traffic.router;

import java.util.Set;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * Jetty's reverse proxy with the router's header hygiene:
 * <ul>
 *   <li>{@code X-Forwarded-*}, {@code X-Real-IP} and {@code Forwarded} from the client are dropped, and the router
 *   sets {@code X-Forwarded-For} and {@code Forwarded: for=..;proto=..} to the peer it really talks to. Anyone can
 *   write those headers, so passing them on would let a client choose the address a bot logs, rate-limits or
 *   allow-lists. Behind a load balancer the peer is the balancer: the router does not trust a header it cannot
 *   check.</li>
 *   <li>{@code Via} names the protocol and "botshift", not the machine's host name (Jetty's default).</li>
 *   <li>{@code Server} and {@code X-Powered-By} of a bot's answer are dropped: they name its software and version.
 *   The router names its own to nobody either: the client's {@code User-Agent} reaches the bot alone.</li>
 * </ul>
 *
 * <p>Its client to the bots speaks HTTP/1.1 only (bots are plain HTTP servers; Jetty's default transport would
 * work out the protocol of every request anew) and runs on the server's thread pool instead of a second pool of its
 * own: on a small machine, two pools of idle and spinning threads are more context switches per request. It is
 * non-blocking: a bot's answer is handled on the thread that read it (copied to the client's response
 * asynchronously, counted, weighed by the guard) instead of being handed to a pool thread, which cut the router's
 * context switches from 3.0 to 1.8 per request and its CPU per request by a fifth (docs/benchmarks.md, part 8).
 * Nothing on that path may block: the guard's cut is made there in memory, and stored on a pool thread (GuardWatch).
 */
final class ForwardingProxy extends ProxyHandler.Reverse {
    static final String VIA_NAME = "botshift";
    private static final Set<String> CLIENT_FORWARDING = Set.of("x-forwarded-for", "x-forwarded-host",
            "x-forwarded-proto", "x-forwarded-port", "x-forwarded-server", "x-forwarded-prefix", "x-real-ip",
            "forwarded", "via");
    private static final Set<String> SOFTWARE = Set.of("server", "x-powered-by");

    /** How long a bot may be silent answering before the router answers 504 ({@link RouterServer#answerTimeout}). */
    private java.time.Duration answerTimeout = RouterServer.DEFAULT_ANSWER_TIMEOUT;

    ForwardingProxy() {
        super(RoutingHandler::rewrite);
        setViaHost(VIA_NAME);
    }

    /** Before the start: the client is made then. */
    void answerTimeout(java.time.Duration timeout) {
        this.answerTimeout = timeout;
    }

    java.time.Duration answerTimeout() {
        return answerTimeout;
    }

    @Override
    protected HttpClient newHttpClient() {
        ClientConnector connector = new ClientConnector();
        connector.setExecutor(getServer().getThreadPool());
        connector.unmanage(getServer().getThreadPool()); // the server's: the client must not stop it
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP(connector);
        transport.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        HttpClient client = new HttpClient(transport);
        // Jetty's client adds "User-Agent: Jetty/<version>" to every request: a second User-Agent beside the
        // client's (the bot sees two), and the router's software and version told to every bot
        client.setUserAgentField(null);
        client.setIdleTimeout(answerTimeout.toMillis()); // Jetty's default, 30 s, cut slow bots nginx waits 60 s for
        return client;
    }

    @Override
    protected void copyRequestHeaders(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
        super.copyRequestHeaders(clientToProxyRequest, proxyToServerRequest);
        // most requests carry none of them: one look at the client's few headers is cheaper than nine removals,
        // each a case-insensitive scan of all the copied headers
        for (HttpField field : clientToProxyRequest.getHeaders()) {
            if (CLIENT_FORWARDING.contains(field.getLowerCaseName())) {
                proxyToServerRequest.headers(headers -> CLIENT_FORWARDING.forEach(headers::remove));
                return;
            }
        }
    }

    /**
     * {@code Via: <version> botshift}. Jetty's own appends to the Via headers already there, but the client's were
     * dropped above, so there are none; this skips its split, stream and join per request.
     */
    @Override
    protected void addViaHeader(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
        String protocol = clientToProxyRequest.getConnectionMetaData().getProtocol();
        String version = protocol.regionMatches(true, 0, "HTTP/", 0, 5) ? protocol.substring(5) : protocol;
        proxyToServerRequest.headers(headers -> headers.put(HttpHeader.VIA, version + " " + VIA_NAME));
    }

    @Override
    protected void addForwardedHeader(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
        String peer = Request.getRemoteAddr(clientToProxyRequest);
        String proto = clientToProxyRequest.isSecure() ? "https" : "http";
        proxyToServerRequest.headers(headers -> {
            headers.put(HttpHeader.X_FORWARDED_FOR, peer);
            headers.put(HttpHeader.FORWARDED, "for=" + HttpField.PARAMETER_TOKENIZER.quote(peer) + ";proto=" + proto);
        });
    }

    @Override
    protected HttpField filterServerToProxyResponseField(HttpField field) {
        return SOFTWARE.contains(field.getLowerCaseName()) ? null : field;
    }
}
