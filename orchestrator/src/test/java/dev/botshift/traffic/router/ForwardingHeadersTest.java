package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a bot learns about the client through the router, and what the client learns about the router and bot. */
class ForwardingHeadersTest extends RouterPerTest {
    @BeforeEach
    void allToGreen() {
        fixture.client.setWeights(Weights.allTo(Slot.B));
    }

    @Test
    void forwardingHeadersAClientWroteAreReplacedByTheRealPeer() {
        HttpResponse<String> response = fixture.post("/webhook", RouterFixture.update(1),
                "X-Forwarded-For", "6.6.6.6", "X-Real-IP", "6.6.6.6", "Forwarded", "for=6.6.6.6;proto=https",
                "X-Forwarded-Host", "bank.example", "X-Forwarded-Proto", "https", "Via", "1.1 evil-proxy");
        assertThat(response.statusCode()).isEqualTo(200);

        Headers seen = fixture.green.lastHeaders();
        assertThat(seen.get("X-forwarded-for")).containsExactly("127.0.0.1");
        assertThat(seen.get("Forwarded")).containsExactly("for=\"127.0.0.1\";proto=http");
        assertThat(seen.containsKey("X-real-ip")).isFalse();
        assertThat(seen.containsKey("X-forwarded-host")).isFalse();
        assertThat(seen.containsKey("X-forwarded-proto")).isFalse();
        assertThat(String.join(",", seen.values().stream().flatMap(java.util.List::stream).toList()))
                .doesNotContain("6.6.6.6").doesNotContain("bank.example").doesNotContain("evil-proxy");
    }

    @Test
    void viaNamesBotshiftNotTheHostAndNoSoftwareIsAnnounced() throws Exception {
        HttpResponse<String> response = fixture.post("/webhook", RouterFixture.update(2));

        assertThat(fixture.green.lastHeaders().get("Via")).containsExactly("1.1 " + ForwardedHeaders.VIA_NAME);
        String host = InetAddress.getLocalHost().getHostName();
        assertThat(fixture.green.lastHeaders().values().toString()).doesNotContain(host);
        assertThat(response.headers().firstValue("Server")).as("the bot's Server header is dropped").isEmpty();
        assertThat(response.headers().firstValue("X-Powered-By")).isEmpty();
        assertThat(response.body()).isEqualTo("green");
    }

    @Test
    void theClientsUserAgentReachesTheBotAloneAndTheRoutersSoftwareIsNotNamed() {
        fixture.post("/webhook", RouterFixture.update(3), "User-Agent", "TelegramBot (like TwitterBot)");

        assertThat(fixture.green.lastHeaders().get("User-agent")).containsExactly("TelegramBot (like TwitterBot)");
        assertThat(fixture.green.lastHeaders().values().toString()).doesNotContainIgnoringCase("jetty");
    }

    @Test
    void aRequestWithoutUserAgentGetsNoneFromTheRouter() throws Exception {
        String body = RouterFixture.update(4);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", fixture.router.listenUri().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /webhook HTTP/1.1\r\nHost: bots\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 200");
        }

        assertThat(fixture.green.lastHeaders().containsKey("User-agent")).as("the JDK server's key for User-Agent").isFalse();
    }
}
