package dev.botshift.example.sentiment;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.botshift.example.sentiment.BotMetrics.Answered;
import dev.botshift.example.sentiment.FaultInjector.Fault;
import dev.botshift.example.sentiment.Update.MalformedUpdateException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/** {@code POST /webhook}: store the update idempotently, then acknowledge it. */
final class WebhookHandler implements HttpHandler {

    private final BotConfig config;
    private final Database database;
    private final InteractionWriter writer;
    private final FaultInjector faults;
    private final BotMetrics metrics;
    private final byte[] okBody;

    WebhookHandler(BotConfig config, Database database, BotMetrics metrics) {
        this.config = config;
        this.database = database;
        this.metrics = metrics;
        this.writer = InteractionWriter.forVersion(config.major(), config.version());
        this.faults = new FaultInjector(config.faultRate(), config.faultSilentRate(), config.faultAfter(),
                config.faultAt(), config.faultFile(), config.faultDelay());
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
                metrics.rejected(seconds(started));
                Responses.send(exchange, 400, Responses.error(e.getMessage()));
                return;
            }
            handle(exchange, update, started);
        }
    }

    private void handle(HttpExchange exchange, Update update, long started) throws IOException {
        Duration delay = faults.delay();
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Fault fault = faults.draw();
        if (fault == Fault.FAIL_500) {
            metrics.handlerError(Answered.SERVER_ERROR, seconds(started));
            Responses.send(exchange, 500, Responses.error("injected fault"));
            return;
        }
        try (Connection connection = database.connection()) {
            writer.write(connection, update);
        } catch (SQLException e) {
            // The SQL state and message say what failed; they never contain the password.
            System.err.println("update " + update.updateId() + " not stored: " + e.getSQLState() + " " + e.getMessage());
            metrics.handlerError(Answered.SERVER_ERROR, seconds(started));
            Responses.send(exchange, 500, Responses.error("not stored"));
            return;
        }
        if (fault == Fault.FAIL_SILENTLY) {
            // Like a bot whose reply to the platform failed after the update was handled: the platform sees 200.
            metrics.handlerError(Answered.OK, seconds(started));
        } else {
            metrics.ok(seconds(started));
        }
        Responses.send(exchange, 200, okBody);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
