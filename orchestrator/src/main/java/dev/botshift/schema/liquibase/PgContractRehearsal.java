package dev.botshift.schema.liquibase;

import dev.botshift.core.UnreachableException;
import dev.botshift.schema.ChangelogSource;
import dev.botshift.schema.ContractRehearsal;
import dev.botshift.schema.RecordingStart;
import dev.botshift.schema.RehearsalResult;
import dev.botshift.schema.SchemaPhase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The contract rehearsal on PostgreSQL with {@code pg_stat_statements}.
 *
 * <p>Attribution: the view keys statements by (user, database, queryid) and knows no {@code application_name}, so
 * green's statements are found by time: the calls per queryid are read when green gets all traffic (the recording
 * starts) and again at the rehearsal; a statement whose calls grew in between ran while green served alone. That
 * catches the statements green shares with blue (the case a "new statements only" rule misses), at the price of also
 * rehearsing what anything else ran on the database meanwhile (blue's background work, other clients): such a
 * statement can refuse a contract that green alone would pass. The recording lives in this process: after a restart
 * it starts again, and the window shrinks (the result says how long it was).
 */
final class PgContractRehearsal extends PgRehearsal implements ContractRehearsal {
    private final Clock clock;
    private Map<Long, Long> baseline;
    private Instant since;

    PgContractRehearsal(JdbcTarget target, ChangelogSource source, Clock clock) {
        super(target, source);
        this.clock = clock;
    }

    @Override
    public synchronized Optional<RecordingStart> startRecording() {
        if (since != null) {
            return Optional.empty();
        }
        since = clock.instant();
        Connection c;
        try {
            c = target.open();
        } catch (UnreachableException e) {
            baseline = null;
            return notRecorded("statements are not recorded, the contract rehearsal will be skipped: " + e.getMessage());
        }
        try {
            Optional<String> why = StatementStats.unavailable(c, true);
            if (why.isPresent()) {
                baseline = null;
                return notRecorded("statements are not recorded, the contract rehearsal will be skipped: " + why.get());
            }
            baseline = StatementStats.calls(c);
            return Optional.of(new RecordingStart(true,
                    "recording the statements green runs (pg_stat_statements) for the contract rehearsal"));
        } catch (SQLException e) {
            baseline = null;
            return notRecorded("statements are not recorded, the contract rehearsal will be skipped: "
                    + FailureText.cause(e));
        } finally {
            JdbcTarget.closeQuietly(c);
        }
    }

    private static Optional<RecordingStart> notRecorded(String why) {
        return Optional.of(new RecordingStart(false, why));
    }

    @Override
    public synchronized RehearsalResult rehearse() {
        if (since == null) {
            return new RehearsalResult.Skipped("nothing was recorded: Botshift restarted after green got all traffic, "
                    + "so it does not know what green ran");
        }
        if (baseline == null) {
            return new RehearsalResult.Skipped(unavailable().orElse("the recording could not start"));
        }
        long window = Duration.between(since, clock.instant()).toSeconds();
        return onConnection(SchemaPhase.CONTRACT, "green", c -> {
            // read before Botshift's own queries (Liquibase reading the history) can count as grown
            StatementStats.Grown grown = StatementStats.grownSince(c, baseline);
            PreparedRehearsal.Changes contract = PreparedRehearsal.pending(target, source, SchemaPhase.CONTRACT);
            return PreparedRehearsal.run(c, grown.texts().values(), grown.hidden(), contract, SchemaPhase.CONTRACT)
                    .result(contract.skipped(), window);
        });
    }
}
