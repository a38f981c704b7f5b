package dev.botshift.traffic.polling;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Delivers an update as a webhook POST to the router's own proxy port: it then takes exactly the path a webhook
 * takes (the sticky split, the per-colour outcome counts the judge reads, dead backends), so the bridge adds no
 * second routing logic that could drift from the first. The bot's answer is read for a Bot API call in it
 * ({@link WebhookReply}), which the bridge then makes, as Telegram would have.
 */
public final class RouterDelivery implements Delivery {
    /** Set by the router on every response it routed to a colour (RoutingHandler), absent on its own refusals. */
    static final String SLOT_HEADER = "X-Botshift-Slot";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RouterDelivery.class);
    /**
     * The largest answer read for a call: a call's parameters take a few KiB (a message is at most 4,096 characters);
     * a file sent in an answer beyond this is not made, so a bot's answers cannot fill the router's memory.
     */
    static final int MAX_REPLY_BYTES = 1 << 20;
    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    private final URI target;
    private final String secret;
    private final Duration timeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param proxy   the router's proxy base URI, {@code http://127.0.0.1:<port>}
     * @param path    the bots' webhook path, e.g. {@code /webhook}
     * @param timeout how long a bot may take to answer before the attempt counts as failed
     */
    public RouterDelivery(URI proxy, String path, Duration timeout) {
        this(proxy, path, timeout, null);
    }

    /**
     * @param secret carried by every delivery in {@value #SECRET_HEADER}, as Telegram carries a webhook's
     *               {@code secret_token}, for bots that check it; null for none
     */
    public RouterDelivery(URI proxy, String path, Duration timeout, String secret) {
        this.target = URI.create(proxy.toString().replaceAll("/+$", "") + (path.startsWith("/") ? path : "/" + path));
        this.timeout = timeout;
        this.secret = secret;
    }

    @Override
    public Answer deliver(TelegramUpdate update) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(update.json()));
        if (secret != null) {
            builder.header(SECRET_HEADER, secret);
        }
        HttpRequest request = builder.build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        String type = response.headers().firstValue("Content-Type").orElse(null);
        byte[] body;
        try (InputStream in = response.body()) {
            // only an acknowledging answer of a form type can ask for a call, and what is kept of it is bounded, so a
            // bot's large answers cost no memory; the rest is read and dropped, so the connection is used again
            body = response.statusCode() / 100 == 2 && WebhookReply.mayCarryACall(type)
                    ? in.readNBytes(MAX_REPLY_BYTES + 1) : new byte[0];
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        if (response.headers().firstValue(SLOT_HEADER).isEmpty()) {
            throw new NotRoutedException("HTTP " + response.statusCode() + " from the router itself (no colour can serve)");
        }
        if (body.length > MAX_REPLY_BYTES) {
            LOG.warn("update {}: the bot's answer is larger than {} MiB; a Bot API call in it is not made",
                    update.id(), MAX_REPLY_BYTES >> 20);
            return new Answer(response.statusCode(), Optional.empty());
        }
        return new Answer(response.statusCode(), WebhookReply.in(type, body));
    }
}
