package dev.botshift.traffic.polling;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Delivers an update as a webhook POST to the router's own proxy port: it then takes exactly the path a webhook
 * takes (the sticky split, the per-colour outcome counts the judge reads, dead backends), so the bridge adds no
 * second routing logic that could drift from the first.
 */
public final class RouterDelivery implements Delivery {
    /** Set by the router on every response it routed to a colour (RoutingHandler), absent on its own refusals. */
    static final String SLOT_HEADER = "X-Botshift-Slot";
    private final URI target;
    private final Duration timeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param proxy   the router's proxy base URI, {@code http://127.0.0.1:<port>}
     * @param path    the bots' webhook path, e.g. {@code /webhook}
     * @param timeout how long a bot may take to answer before the attempt counts as failed
     */
    public RouterDelivery(URI proxy, String path, Duration timeout) {
        this.target = URI.create(proxy.toString().replaceAll("/+$", "") + (path.startsWith("/") ? path : "/" + path));
        this.timeout = timeout;
    }

    @Override
    public int deliver(TelegramUpdate update) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(update.json()))
                .build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.headers().firstValue(SLOT_HEADER).isEmpty()) {
            throw new NotRoutedException("HTTP " + response.statusCode() + " from the router itself (no colour can serve)");
        }
        return response.statusCode();
    }
}
