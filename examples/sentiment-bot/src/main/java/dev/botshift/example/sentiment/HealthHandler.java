package dev.botshift.example.sentiment;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/** {@code GET /healthz}: 200 when the database answers and the bot is not draining, 503 otherwise. */
final class HealthHandler implements HttpHandler {

    private final Database database;
    private final BooleanSupplier draining;

    HealthHandler(Database database, BooleanSupplier draining) {
        this.database = database;
        this.draining = draining;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String status;
            int code;
            if (draining.getAsBoolean()) {
                code = 503;
                status = "draining";
            } else if (!database.answers()) {
                code = 503;
                status = "database unavailable";
            } else {
                code = 200;
                status = "ok";
            }
            Responses.send(exchange, code, ("{\"status\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8));
        }
    }
}
