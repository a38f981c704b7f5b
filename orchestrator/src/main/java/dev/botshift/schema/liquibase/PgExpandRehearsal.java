package dev.botshift.schema.liquibase;

import dev.botshift.schema.ChangelogSource;
import dev.botshift.schema.ExpandRehearsal;
import dev.botshift.schema.RehearsalResult;
import dev.botshift.schema.SchemaPhase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The expand rehearsal on PostgreSQL with {@code pg_stat_statements}: what the view holds for the plan's database is
 * prepared against the pending expand, applied in a transaction that is rolled back (the shared rule:
 * {@link PreparedRehearsal}).
 *
 * <p>Attribution: no recording window is needed. Blue has been serving, so the view's cumulative record (since the
 * server started or the view was last reset) holds what blue runs. It also holds whatever else ran on the database
 * (other clients, people, an older release's rare paths): those are rehearsed too, and can refuse an expand blue
 * alone would pass; the refusal names the statement.
 */
final class PgExpandRehearsal extends PgRehearsal implements ExpandRehearsal {
    PgExpandRehearsal(JdbcTarget target, ChangelogSource source) {
        super(target, source);
    }

    @Override
    public RehearsalResult rehearse() {
        return onConnection(SchemaPhase.EXPAND, "blue", this::rehearseOn);
    }

    private RehearsalResult rehearseOn(Connection c) throws SQLException {
        // the library records every statement once loaded; the extension only shows it, so creating it now
        // (when this user may) still shows what blue ran before
        Optional<String> why = StatementStats.unavailable(c, true);
        if (why.isPresent()) {
            return new RehearsalResult.Skipped(why.get());
        }
        // read before Botshift's own queries (Liquibase reading the history) are on record
        StatementStats.Grown recorded = StatementStats.recorded(c);
        long collecting = StatementStats.collectingSeconds(c);
        if (recorded.texts().isEmpty()) {
            return new RehearsalResult.Skipped("pg_stat_statements holds no statement for this database"
                    + (recorded.hidden() > 0 ? " that this user may read (" + recorded.hidden() + " hidden)" : "")
                    + ", so there is nothing of blue's to rehearse");
        }
        PreparedRehearsal.Changes expand = PreparedRehearsal.pending(target, source, SchemaPhase.EXPAND);
        if (expand.changeSets() == 0) {
            return new RehearsalResult.Skipped("no expand changeset is pending");
        }
        return PreparedRehearsal.run(c, recorded.texts().values(), recorded.hidden(), expand, SchemaPhase.EXPAND)
                .result(expand.skipped(), collecting);
    }
}
