package dev.botshift.workload.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** GETs the health path of every instance at once, so a readiness check costs at most one timeout, not one per replica. */
final class HealthProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final String path;

    HealthProbe(String path) {
        this.path = path.startsWith("/") ? path : "/" + path;
    }

    /** How many of {@code endpoints} answer 2xx within a second. */
    int countHealthy(List<URI> endpoints) {
        List<CompletableFuture<Boolean>> checks = endpoints.stream().map(this::check).toList();
        return (int) checks.stream().filter(CompletableFuture::join).count();
    }

    private CompletableFuture<Boolean> check(URI base) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(r -> r.statusCode() / 100 == 2)
                .exceptionally(e -> false);
    }
}
