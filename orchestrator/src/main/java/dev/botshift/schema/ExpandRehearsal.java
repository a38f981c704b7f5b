package dev.botshift.schema;

/**
 * Rehearses the expand before it runs: the statements pg_stat_statements holds for the plan's database (blue has been
 * serving, so its cumulative record is blue's) are prepared against the expand applied in a transaction that is
 * rolled back. See docs/schema-engine.md ("The expand rehearsal").
 */
public interface ExpandRehearsal extends Rehearsal {

    /** For platforms and fakes without a database: says so, and the rollout goes on without a rehearsal. */
    ExpandRehearsal NONE = NoDatabaseRehearsal.INSTANCE;
}
