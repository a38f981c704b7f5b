package dev.botshift.schema.liquibase;

import dev.botshift.schema.ChangelogSource;
import dev.botshift.schema.Rehearsal;
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
}
