package dev.botshift.example.sentiment;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.botshift.example.sentiment.Update.MalformedUpdateException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code POST /webhook}: store the update idempotently, then acknowledge it. */
final class WebhookHandler implements HttpHandler {

    private final BotConfig config;
    private final UpdateHandling handling;
    private final byte[] okBody;

    WebhookHandler(BotConfig config, UpdateHandling handling) {
        this.config = config;
        this.handling = handling;
        this.okBody = ("{\"ok\":true,\"version\":\"" + config.version() + "\",\"slot\":\"" + config.slot() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        try (exchange) {
            exchange.getResponseHeaders().set("X-Botshift-Slot", config.slot());
            exchange.getResponseHeaders().set("X-Botshift-Version", config.version());
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                Responses.send(exchange, 405, Responses.error("use POST"));
                return;
            }
            Update update;
            try {
                update = Update.parse(exchange.getRequestBody().readAllBytes());
            } catch (MalformedUpdateException e) {
                handling.rejected(started);
                Responses.send(exchange, 400, Responses.error(e.getMessage()));
                return;
            }
            handle(exchange, update, started);
        }
    }

    private void handle(HttpExchange exchange, Update update, long started) throws IOException {
        switch (handling.handle(update, started)) {
            case INJECTED_FAULT -> Responses.send(exchange, 500, Responses.error("injected fault"));
            case NOT_STORED -> Responses.send(exchange, 500, Responses.error("not stored"));
            case STORED -> Responses.send(exchange, 200, okBody);
        }
    }
}
