package dev.botshift.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/**
 * The router's added latency: the same kind of webhook request, one at a time, alternately through the router and
 * straight to a bot process, so both paths see the same load at the same moments. Each request is a new update.
 */
final class LatencyProbe {
    record Result(long[] routerMicros, long[] directMicros, int failures) {
        double overheadMs(double q) {
            return (Stats.percentile(routerMicros, q) - Stats.percentile(directMicros, q)) / 1000.0;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    Result run(URI router, URI direct, int pairs, long firstUpdateId) throws IOException, InterruptedException {
        long[] viaRouter = new long[pairs];
        long[] viaDirect = new long[pairs];
        int failures = 0;
        long id = firstUpdateId;
        for (int i = 0; i < pairs; i++) {
            // Alternate which goes first, so neither path always gets the warmer connection or the quieter moment.
            boolean routerFirst = i % 2 == 0;
            long a = time(routerFirst ? router : direct, id++);
            long b = time(routerFirst ? direct : router, id++);
            if (a < 0 || b < 0) {
                failures++;
            }
            viaRouter[i] = Math.abs(routerFirst ? a : b);
            viaDirect[i] = Math.abs(routerFirst ? b : a);
        }
        Arrays.sort(viaRouter);
        Arrays.sort(viaDirect);
        return new Result(viaRouter, viaDirect, failures);
    }

    /** Microseconds; negative when the answer was not 2xx. */
    private long time(URI target, long updateId) throws IOException, InterruptedException {
        long chat = 9_000_000L + updateId % 500;
        String body = "{\"update_id\":" + updateId + ",\"message\":{\"message_id\":1,\"chat\":{\"id\":" + chat
                + "},\"from\":{\"id\":" + chat + "},\"text\":\"latency probe\"}}";
        HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long t0 = System.nanoTime();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        long micros = Math.max(1, (System.nanoTime() - t0) / 1000);
        return response.statusCode() / 100 == 2 ? micros : -micros;
    }
}
