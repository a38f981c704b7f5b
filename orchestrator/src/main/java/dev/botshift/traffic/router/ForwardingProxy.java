package dev.botshift.traffic.router;

import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;

/**
 * Jetty's reverse proxy with the router's header hygiene:
 * <ul>
 *   <li>{@code X-Forwarded-*}, {@code X-Real-IP} and {@code Forwarded} from the client are dropped, and the router
 *   sets {@code X-Forwarded-For} and {@code Forwarded: for=..;proto=..} to the peer it really talks to. Anyone can
 *   write those headers, so passing them on would let a client choose the address a bot logs, rate-limits or
 *   allow-lists. Behind a load balancer the peer is the balancer: the router does not trust a header it cannot
 *   check.</li>
 *   <li>{@code Via} names the protocol and "botshift", not the machine's host name (Jetty's default).</li>
 *   <li>{@code Server} and {@code X-Powered-By} of a bot's answer are dropped: they name its software and version.</li>
 * </ul>
 */
final class ForwardingProxy extends ProxyHandler.Reverse {
    static final String VIA_NAME = "botshift";
    private static final Set<String> CLIENT_FORWARDING = Set.of("x-forwarded-for", "x-forwarded-host",
            "x-forwarded-proto", "x-forwarded-port", "x-forwarded-server", "x-forwarded-prefix", "x-real-ip",
            "forwarded", "via");
    private static final Set<String> SOFTWARE = Set.of("server", "x-powered-by");

    ForwardingProxy() {
        super(RoutingHandler::rewrite);
        setViaHost(VIA_NAME);
    }

    @Override
    protected void copyRequestHeaders(Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
        super.copyRequestHeaders(clientToProxyRequest, proxyToServerRequest);
        proxyToServerRequest.headers(headers -> CLIENT_FORWARDING.forEach(headers::remove));
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
