package dev.botshift.schema.liquibase;

import dev.botshift.schema.ChangelogSource;
import dev.botshift.schema.Rehearsal;
import dev.botshift.schema.RehearsalResult;
import dev.botshift.schema.SchemaPhase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** What both rehearsals on PostgreSQL start from: the database, the changelog, and pg_stat_statements' availability. */
abstract class PgRehearsal implements Rehearsal {
    protected final JdbcTarget target;
    protected final ChangelogSource source;

    PgRehearsal(JdbcTarget target, ChangelogSource source) {
        this.target = target;
        this.source = source;
    }

    @Override
    public Optional<String> unavailable() {
        return StatementStats.unavailable(target);
    }

    /** What a rehearsal does on its connection. */
    interface Work {
        RehearsalResult on(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} on a connection of its own and discards what it prepared or applied there; a database error is
     * the rehearsal's could-not-run failure.
     *
     * @param holder whose transactions may hold the tables (blue or green)
     */
    RehearsalResult onConnection(SchemaPhase phase, String holder, Work work) {
        Connection c = target.open();
        try {
            return work.on(c);
        } catch (SQLException e) {
            throw PreparedRehearsal.couldNotRun(target, phase, holder, e);
        } finally {
            PreparedRehearsal.discard(c);
        }
    }
}
