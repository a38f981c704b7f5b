package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.Slot;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.UnreachableException;
import dev.botshift.core.Weights;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The admin API as another local user meets it: 127.0.0.1 answers, but nothing without the router's token. One
 * router for the class: every test leaves its config as it found it (that is what most of them check).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiSecurityTest {
    RouterFixture fixture;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dir) {
        fixture = new RouterFixture(dir);
    }

    @BeforeEach
    void split() {
        fixture.client.setWeights(new Weights(90, 10));
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/botshift/config", "/botshift/stats", "/metrics", "/no/such/thing"})
    void everyReadWithoutTheTokenIs401(String path) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(fixture.router.adminUri().resolve(path)).GET());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(response.body()).doesNotContain("weights").doesNotContain("backends").doesNotContain("botshift_router");
    }

    @Test
    void aChangeWithoutOrWithAWrongTokenIs401AndChangesNothing() throws Exception {
        String change = "{\"weights\":{\"blue\":0,\"green\":100},\"backends\":{\"green\":[\"http://127.0.0.1:1\"]}}";
        for (Optional<String> authorization : List.of(Optional.<String>empty(), Optional.of("Bearer wrong"),
                Optional.of("Bearer " + "x".repeat(43)), Optional.of("Basic " + fixture.token.authorization()),
                Optional.of(fixture.token.authorization() + "x"))) {
            HttpRequest.Builder put = HttpRequest.newBuilder(fixture.router.adminUri().resolve("/botshift/config"))
                    .PUT(HttpRequest.BodyPublishers.ofString(change));
            authorization.ifPresent(a -> put.header("Authorization", a));
            HttpResponse<String> response = send(put);
            assertThat(response.statusCode()).as(authorization.toString()).isEqualTo(401);
            assertThat(response.body()).doesNotContain(fixture.token.authorization().substring(7));
        }
        assertThat(fixture.router.config().weights()).isEqualTo(new Weights(90, 10));
        assertThat(fixture.router.config().backendsOf(Slot.B)).containsExactly(fixture.green.uri());
        assertThat(new BotshiftRouterClient(fixture.router.adminUri(), Duration.ofSeconds(5),
                Optional.of(AdminToken.generate())).verify(new Weights(90, 10))).isInstanceOf(dev.botshift.traffic.WeightCheck.Unknown.class);
    }

    @Test
    void theHealthCheckNeedsNoTokenAndSaysNothingElse() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(fixture.router.adminUri().resolve("/botshift/healthz")).GET());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"ok\"}");
    }

    @Test
    void aHugeChangeIsRefusedFromItsHeadersWithoutWaitingForItsBody() throws Exception {
        // the 50 MB PUT, announced but never sent: the router must answer without reading it
        String announced = "Content-Length: " + (50 * 1024 * 1024) + "\r\nContent-Type: application/json\r\n";
        assertThat(rawPut(announced + "Authorization: " + fixture.token.authorization() + "\r\n"))
                .startsWith("HTTP/1.1 413").contains(String.valueOf(AdminHandler.MAX_BODY_BYTES));
        assertThat(rawPut(announced)).startsWith("HTTP/1.1 401");
        assertThat(fixture.router.config().weights()).isEqualTo(new Weights(90, 10));
    }

    @Test
    void aChunkedChangeOverTheCapIsRefused() throws Exception {
        byte[] big = new byte[AdminHandler.MAX_BODY_BYTES * 2];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpResponse<String> response = send(HttpRequest.newBuilder(fixture.router.adminUri().resolve("/botshift/config"))
                .header("Authorization", fixture.token.authorization())
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(fixture.router.config().weights()).isEqualTo(new Weights(90, 10));
    }

    /** A PUT whose headers are sent and whose body is not: the status line comes back, or the test times out. */
    private String rawPut(String headers) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", fixture.router.adminPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("PUT /botshift/config HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n{")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            byte[] answer = new byte[4096];
            int n = socket.getInputStream().read(answer);
            int more = n < 0 ? -1 : socket.getInputStream().read(answer, n, answer.length - n);
            return new String(answer, 0, Math.max(0, n) + Math.max(0, more), java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://203.0.113.7:8080", "http://attacker.example:80", "https://127.0.0.1:8443",
            "http://127.0.0.1", "http://user:pw@127.0.0.1:8080", "http://127.0.0.1:8080/?next=x", "http://localhost:8080"})
    void evenWithTheTokenABackendThatIsNotALocalBotIsRefused(String backend) {
        assertThatThrownBy(() -> fixture.client.setBackends(Slot.B, List.of(URI.create(backend))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("backends.b").hasMessageContaining("127.0.0.1");
        assertThat(fixture.router.config().backendsOf(Slot.B)).containsExactly(fixture.green.uri());
    }

    @Test
    void aReadOnlyRouterAnswersReadsAndRefusesChanges(@TempDir Path other) {
        FileRouterConfigSource source = FileRouterConfigSource.open(other.resolve("router.json"), Duration.ofMillis(50));
        try (RouterServer router = new RouterServer(source, 0, 0, new RouterServer.Guards(
                new AdminAccess.ReadOnly("edit the file instead"), BackendPolicy.LOOPBACK, new WebhookVerifier.None())).start()) {
            BotshiftRouterClient client = router.client();
            assertThat(client.config().weights()).isEqualTo(Weights.allTo(Slot.A));
            assertThatThrownBy(() -> client.setWeights(new Weights(50, 50)))
                    .isInstanceOf(UnreachableException.class).hasMessageContaining("405").hasMessageContaining("edit the file");
            assertThat(router.config().weights()).isEqualTo(Weights.allTo(Slot.A));
        }
    }

    @Test
    void neitherTheRouterNorItsErrorsNameTheirSoftware() throws Exception {
        for (URI uri : List.of(fixture.router.adminUri().resolve("/botshift/config"), fixture.router.listenUri().resolve("/x"))) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri).method("DELETE", HttpRequest.BodyPublishers.noBody()));
            assertThat(response.headers().firstValue("Server")).as(uri.toString()).isEmpty();
            assertThat(response.body()).doesNotContainIgnoringCase("jetty");
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
