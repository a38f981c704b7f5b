package dev.botshift.example.sentiment;

import dev.botshift.example.sentiment.BotMetrics.Answered;
import dev.botshift.example.sentiment.FaultInjector.Fault;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Handles one update, however it arrived (a webhook POST or the bot's own {@code getUpdates}): store it idempotently
 * (a repeated {@code update_id} is stored once), count the outcome, apply the injected faults of a demo release.
 */
final class UpdateHandling {

    /** What became of one attempt. */
    enum Result { STORED, INJECTED_FAULT, NOT_STORED }

    private final Database database;
    private final InteractionWriter writer;
    private final FaultInjector faults;
    private final BotMetrics metrics;

    UpdateHandling(BotConfig config, Database database, BotMetrics metrics) {
        this.database = database;
        this.metrics = metrics;
        this.writer = InteractionWriter.forVersion(config.major(), config.version());
        this.faults = new FaultInjector(config.faultRate(), config.faultSilentRate(), config.faultAfter(),
                config.faultAt(), config.faultFile(), config.faultDelay());
    }

    Result handle(Update update, long startedNanos) {
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
            metrics.handlerError(Answered.SERVER_ERROR, seconds(startedNanos));
            return Result.INJECTED_FAULT;
        }
        try (Connection connection = database.connection()) {
            writer.write(connection, update);
        } catch (SQLException e) {
            // The SQL state and message say what failed; they never contain the password.
            System.err.println("update " + update.updateId() + " not stored: " + e.getSQLState() + " " + e.getMessage());
            metrics.handlerError(Answered.SERVER_ERROR, seconds(startedNanos));
            return Result.NOT_STORED;
        }
        if (fault == Fault.FAIL_SILENTLY) {
            // Like a bot whose reply to the platform failed after the update was handled: the platform sees 200.
            metrics.handlerError(Answered.OK, seconds(startedNanos));
        } else {
            metrics.ok(seconds(startedNanos));
        }
        return Result.STORED;
    }

    /** A body that is not an update the bot understands: counted as refused, never a handler failure. */
    void rejected(long startedNanos) {
        metrics.rejected(seconds(startedNanos));
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
