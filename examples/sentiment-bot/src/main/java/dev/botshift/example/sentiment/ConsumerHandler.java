package dev.botshift.example.sentiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code /botshift/consumer} (docs/polling.md, handover mode): {@code GET} tells whether this bot polls and the offset
 * it last confirmed; {@code POST {"consuming": false}} answers once the bot has stopped polling (200) and
 * {@code {"consuming": true}} once its first poll is in flight (200), or 504 when that did not happen in time.
 */
final class ConsumerHandler implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Poller poller;
    private final Duration timeout;

    /** @param timeout how long a switch may take: a stop waits for the long poll in flight to return */
    ConsumerHandler(Poller poller, Duration timeout) {
        this.poller = poller;
        this.timeout = timeout;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if ("GET".equals(exchange.getRequestMethod())) {
                send(exchange, 200);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, POST");
                Responses.send(exchange, 405, Responses.error("use GET or POST"));
                return;
            }
            JsonNode body;
            try {
                body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            } catch (IOException e) {
                body = null;
            }
            JsonNode consuming = body == null ? null : body.get("consuming");
            if (consuming == null || !consuming.isBoolean()) {
                Responses.send(exchange, 400, Responses.error("body must be {\"consuming\": true} or {\"consuming\": false}"));
                return;
            }
            boolean done = consuming.asBoolean() ? poller.startConsuming(timeout) : poller.stopConsuming(timeout);
            send(exchange, done ? 200 : 504);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(HttpExchange exchange, int status) throws IOException {
        Poller.State s = poller.state();
        Responses.send(exchange, status, ("{\"consuming\":" + s.consuming() + ",\"offset\":" + s.offset() + "}")
                .getBytes(StandardCharsets.UTF_8));
    }
}
