package dev.botshift.traffic.router;

import dev.botshift.core.Slot;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real router on free ports with two blue backends and one green one, all real HTTP servers. */
final class RouterFixture implements AutoCloseable {
    static final String STICKY = "$.message.chat.id";

    final FakeBackend blue1 = new FakeBackend("blue");
    final FakeBackend blue2 = new FakeBackend("blue");
    final FakeBackend green = new FakeBackend("green");
    final Path configFile;
    final FileRouterConfigSource source;
    final AdminToken token = AdminToken.generate();
    final RouterServer router;
    final BotshiftRouterClient client;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RouterFixture(Path dir) {
        this(dir, new WebhookVerifier.None());
    }

    RouterFixture(Path dir, WebhookVerifier verifier) {
        configFile = dir.resolve("router.json");
        source = FileRouterConfigSource.open(configFile, Duration.ofMillis(50));
        source.store(new RouterConfig(dev.botshift.core.Weights.allTo(Slot.A),
                Map.of(Slot.A, List.of(blue1.uri(), blue2.uri()), Slot.B, List.of(green.uri())), STICKY));
        router = new RouterServer(source, 0, 0, RouterServer.Guards.local(token).verifying(verifier)).start();
        client = router.client();
    }

    static String update(long chatId) {
        return "{\"update_id\":" + chatId + ",\"message\":{\"chat\":{\"id\":" + chatId + "},\"text\":\"hi\"}}";
    }

    /** Posts {@code body} to the router as JSON; returns the response (status, colour header, body). */
    HttpResponse<String> post(String path, String body, String... headers) {
        return postTyped(path, "application/json", body, headers);
    }

    /** Posts {@code body} of {@code contentType} to the router; returns the response. */
    HttpResponse<String> postTyped(String path, String contentType, String body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(router.listenUri() + path))
                .header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder.build());
    }

    /** GET on the admin port, with the router's token. */
    HttpResponse<String> admin(String path) {
        return send(HttpRequest.newBuilder(router.adminUri().resolve(path))
                .header("Authorization", token.authorization()).timeout(Duration.ofSeconds(10)).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Slot colourOf(String body) {
        return colourOf(body, "application/json");
    }

    Slot colourOf(String body, String contentType) {
        HttpResponse<String> response = postTyped("/webhook", contentType, body);
        String header = response.headers().firstValue(RoutingHandler.SLOT_HEADER).orElseThrow();
        return Slot.valueOf(header.toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    public void close() {
        router.stop();
        blue1.close();
        blue2.close();
        green.close();
    }
}
