package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the webhook port does with requests that are not plain webhooks: too large, unreadable, chunked, or carrying
 * headers meant for one connection only. Each refusal is bounded and reaches no bot.
 */
class WebhookPortLimitsTest extends RouterPerTest {
    @BeforeEach
    void allToGreen() {
        fixture.client.setWeights(Weights.allTo(Slot.B));
    }

    @Test
    void aBodyOverOneMebibyteIsRefusedWith413AndReachesNoBot() throws IOException {
        String answer = exchange("POST /webhook HTTP/1.1\r\nHost: bots\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + (RoutingHandler.MAX_BODY_BYTES + 1) + "\r\nConnection: close\r\n\r\n"
                + "{\"x\":\""); // refused on its length: the rest is never read

        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(fixture.green.requests()).isZero();
    }

    @Test
    void headersOverEightKibibytesAre431ALongLineIs414AndGarbageIs400EachClosingTheConnection() throws IOException {
        assertThat(exchange("POST /webhook HTTP/1.1\r\nHost: bots\r\nX-Junk: " + "j".repeat(10_000)
                + "\r\nContent-Length: 0\r\n\r\n")).startsWith("HTTP/1.1 431").contains("\"error\"");
        assertThat(exchange("POST /" + "p".repeat(5_000) + " HTTP/1.1\r\nHost: bots\r\n\r\n")).startsWith("HTTP/1.1 414");
        assertThat(exchange("\u0001\u0002 not http at all\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(exchange("POST * HTTP/1.1\r\nHost: bots\r\nContent-Length: 0\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(fixture.green.requests()).isZero();
    }

    @Test
    void aChunkedWebhookReachesTheBotWholeWithALengthAndConnectionHeadersStayOnTheirHop() throws IOException {
        String update = RouterFixture.update(42);
        String half = update.substring(0, update.length() / 2);
        String rest = update.substring(update.length() / 2);
        String answer = exchange("POST /webhook?x=1 HTTP/1.1\r\nHost: bots\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close, X-Hop\r\nX-Hop: for the router only\r\n"
                + "X-Kept: for the bot\r\n\r\n"
                + Integer.toHexString(half.length()) + "\r\n" + half + "\r\n"
                + Integer.toHexString(rest.length()) + "\r\n" + rest + "\r\n0\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200").contains("X-Botshift-Slot: b").endsWith("green");
        assertThat(fixture.green.lastBody()).isEqualTo(update);
        assertThat(fixture.green.lastPath()).isEqualTo("/webhook?x=1");
        assertThat(fixture.green.lastHeaders().getFirst("Content-length")).isEqualTo(Integer.toString(update.length()));
        assertThat(fixture.green.lastHeaders().containsKey("Transfer-encoding")).isFalse();
        assertThat(fixture.green.lastHeaders().containsKey("X-hop")).as("named by Connection").isFalse();
        assertThat(fixture.green.lastHeaders().getFirst("X-kept")).isEqualTo("for the bot");
        assertThat(fixture.green.lastHeaders().getFirst("Host")).isEqualTo(fixture.green.uri().getAuthority());
    }

    @Test
    void anAbsoluteRequestTargetIsRoutedByItsPathAndQuery() throws IOException {
        String update = RouterFixture.update(43);
        String answer = exchange("POST http://bots.example/webhook/x?y=2 HTTP/1.1\r\nHost: bots.example\r\n"
                + "Content-Length: " + update.length() + "\r\nConnection: close\r\n\r\n" + update);

        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(fixture.green.lastPath()).isEqualTo("/webhook/x?y=2");
    }

    /** A webhook port another program holds: exit 2's refusal, and the admin port this router had bound let go. */
    @Test
    void aWebhookPortInUseIsRefusedAsInputAndNothingIsLeftListening(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            FileRouterConfigSource source = FileRouterConfigSource.open(dir.resolve("router.json"),
                    java.time.Duration.ofMillis(50));
            RouterServer router = new RouterServer(source, taken.getLocalPort(), 0,
                    RouterServer.Guards.local(AdminToken.generate())).listenOnLoopbackOnly();

            long loopsBefore = eventLoops();

            org.assertj.core.api.Assertions.assertThatThrownBy(router::start)
                    .isInstanceOf(dev.botshift.core.InvalidInputException.class)
                    .hasMessageContaining("the port is already in use by another program");
            assertThat(eventLoops()).as("the refused port's event loops stopped").isEqualTo(loopsBefore);
        }
    }

    private static long eventLoops() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("botshift-webhook")).count();
    }

    /** Sends {@code request} on a connection of its own and reads until the router closes it. */
    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", fixture.router.listenPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
