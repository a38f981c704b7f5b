package dev.botshift.traffic.router;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The router's header hygiene, both ways:
 * <ul>
 *   <li>{@code X-Forwarded-*}, {@code X-Real-IP} and {@code Forwarded} from the client are dropped, and the router
 *   sets {@code X-Forwarded-For} and {@code Forwarded: for=..;proto=..} to the peer it really talks to. Anyone can
 *   write those headers, so passing them on would let a client choose the address a bot logs, rate-limits or
 *   allow-lists. Behind a load balancer the peer is the balancer: the router does not trust a header it cannot
 *   check.</li>
 *   <li>{@code Via} names the protocol and "botshift", not the machine's host name.</li>
 *   <li>{@code Server} and {@code X-Powered-By} of a bot's answer are dropped: they name its software and version.
 *   The router names its own to nobody either: the client's {@code User-Agent} reaches the bot alone.</li>
 *   <li>Hop-by-hop headers (RFC 9110 7.6.1: {@code Connection}, those it names, {@code Keep-Alive},
 *   {@code Transfer-Encoding}, ...) belong to one connection and are not passed on either way; {@code Host} is the
 *   bot's, as a client of the bot would send it.</li>
 * </ul>
 */
final class ForwardedHeaders {
    static final String VIA_NAME = "botshift";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");
    private static final Set<String> CLIENT_FORWARDING = Set.of("x-forwarded-for", "x-forwarded-host",
            "x-forwarded-proto", "x-forwarded-port", "x-forwarded-server", "x-forwarded-prefix", "x-real-ip",
            "forwarded", "via", "host");
    private static final Set<String> SOFTWARE = Set.of("server", "x-powered-by");

    private ForwardedHeaders() {
    }

    /** The client's headers as the bot gets them, for a body of {@code length} bytes. */
    static void toBot(HttpHeaders client, HttpHeaders bot, URI backend, InetSocketAddress peer, String protocol,
                      int length) {
        copy(client, bot, CLIENT_FORWARDING);
        bot.set(HttpHeaderNames.HOST, backend.getPort() < 0 ? backend.getHost() : backend.getHost() + ":" + backend.getPort());
        bot.set(HttpHeaderNames.CONTENT_LENGTH, length);
        String version = protocol.regionMatches(true, 0, "HTTP/", 0, 5) ? protocol.substring(5) : protocol;
        bot.set(HttpHeaderNames.VIA, version + " " + VIA_NAME);
        String address = peer.getAddress() == null ? peer.getHostString() : peer.getAddress().getHostAddress();
        bot.set("X-Forwarded-For", address);
        bot.set("Forwarded", "for=" + quoted(address) + ";proto=http");
    }

    /** The bot's answer headers as the client gets them: no hop-by-hop ones, no software named. */
    static void toClient(HttpHeaders bot, HttpHeaders client) {
        copy(bot, client, SOFTWARE);
    }

    /** Every header but the hop-by-hop ones, {@code dropped}, and the length (set for the body as sent). */
    private static void copy(HttpHeaders from, HttpHeaders to, Set<String> dropped) {
        Set<String> named = connectionNamed(from);
        for (Map.Entry<String, String> header : from) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !dropped.contains(name) && !named.contains(name)
                    && !name.equals("content-length")) {
                to.add(header.getKey(), header.getValue());
            }
        }
    }

    /** Headers a {@code Connection} header names are for that connection only (most requests have none). */
    private static Set<String> connectionNamed(HttpHeaders headers) {
        Set<String> named = null;
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                if (named == null) {
                    named = new HashSet<>();
                }
                named.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        return named == null ? Set.of() : named;
    }

    /** RFC 7239's quoted-string: an address with colons (IPv6) must be quoted, and quoting every one is allowed. */
    private static String quoted(String address) {
        return "\"" + (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + "\"";
    }
}
