package dev.botshift.workload.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
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

    /**
     * @param healthy  instances that answered 2xx within a second
     * @param problem  what the last unhealthy one said (e.g. "GET /healthz on port 4100 answered 404"), or null
     */
    record Health(int healthy, String problem) {
    }

    Health check(List<URI> endpoints) {
        List<CompletableFuture<String>> checks = endpoints.stream().map(this::problemOf).toList();
        List<String> problems = checks.stream().map(CompletableFuture::join).filter(Objects::nonNull).toList();
        return new Health(endpoints.size() - problems.size(), problems.isEmpty() ? null : problems.get(problems.size() - 1));
    }

    /** Null when healthy; otherwise why not, in words a bot's author can act on. */
    private CompletableFuture<String> problemOf(URI base) {
        String what = "GET " + path + " on port " + base.getPort();
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .thenApply(r -> r.statusCode() / 100 == 2 ? (String) null : what + " answered " + r.statusCode()
                        + (r.statusCode() == 404 || r.statusCode() == 405 ? " (is workload.healthPath the bot's health"
                        + " route?)" : ""))
                .exceptionally(e -> what + (cause(e) instanceof HttpTimeoutException
                        ? " did not answer within " + TIMEOUT.toMillis() + " ms"
                        : " failed: nothing listens there yet (each instance must listen on the port in $PORT)"));
    }

    private static Throwable cause(Throwable e) {
        return e.getCause() != null ? e.getCause() : e;
    }
}
