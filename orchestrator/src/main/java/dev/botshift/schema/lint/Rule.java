package dev.botshift.schema.lint;

import dev.botshift.schema.LintReport.Finding.Severity;
import dev.botshift.schema.SchemaPhase;

/** Every rule the linter knows: its stable id (docs/linter.md), severity, why it matters and what to do instead. */
public enum Rule {
    PHASE_LABEL_MISSING("phase-label-missing", Severity.ERROR,
            "the changeset has neither the 'expand' nor the 'contract' label, so no phase runs it"
                    + " (and an unlabelled changeset would run under every label filter)",
            "add labels:expand (backward compatible) or labels:contract (after the old version is gone)"),
    PHASE_LABEL_BOTH("phase-label-both", Severity.ERROR,
            "the changeset is labelled both 'expand' and 'contract', so it would run in the phase where it is unsafe",
            "split it into an expand changeset and a contract changeset"),
    DROP_COLUMN("expand-drop-column", Severity.ERROR,
            "the old version still reads and writes this column while expand runs",
            "stop using the column in the new version and drop it in a contract changeset"),
    DROP_TABLE("expand-drop-table", Severity.ERROR,
            "the old version still uses this table while expand runs",
            "drop the table in a contract changeset"),
    RENAME_COLUMN("expand-rename-column", Severity.ERROR,
            "the old version still uses the old column name",
            "expand: add the new column and write both; contract: drop the old one"),
    RENAME_TABLE("expand-rename-table", Severity.ERROR,
            "the old version still uses the old table name",
            "expand: create the new table (or a view under the new name) and write both; contract: drop the old one"),
    COLUMN_TYPE("expand-column-type", Severity.ERROR,
            "changing a column's type rewrites the table under ACCESS EXCLUSIVE and can break the old version's"
                    + " reads and writes (only binary-coercible widenings such as varchar(n) to varchar(m>n) or text"
                    + " are safe)",
            "expand: add a column of the new type and write both; backfill; contract: drop the old column"),
    SET_NOT_NULL("expand-set-not-null", Severity.ERROR,
            "SET NOT NULL scans the whole table under ACCESS EXCLUSIVE, and the old version may still write NULLs",
            "expand: ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID; contract: VALIDATE CONSTRAINT,"
                    + " SET NOT NULL (PostgreSQL 12+ skips the scan), drop the check"),
    ADD_NOT_NULL_COLUMN("expand-add-not-null-column", Severity.ERROR,
            "a NOT NULL column without a default makes every insert of the old version fail"
                    + " (and fails at once on a table with rows)",
            "add the column nullable or with a constant default; make it NOT NULL in contract"),
    ADD_FOREIGN_KEY("expand-add-foreign-key", Severity.ERROR,
            "a validated foreign key scans the table while holding a lock that blocks writes",
            "add it with NOT VALID (validate: false) in expand; VALIDATE CONSTRAINT later"),
    ADD_CHECK("expand-add-check", Severity.ERROR,
            "a validated check constraint scans the table under ACCESS EXCLUSIVE",
            "add it with NOT VALID in expand; VALIDATE CONSTRAINT later"),
    ADD_UNIQUE("expand-add-unique", Severity.ERROR,
            "a unique or primary key constraint builds its index while blocking writes, and the old version may"
                    + " write duplicates",
            "CREATE UNIQUE INDEX CONCURRENTLY (runInTransaction:false), then ADD CONSTRAINT ... UNIQUE USING INDEX"),
    CREATE_INDEX("expand-create-index", Severity.ERROR,
            "CREATE INDEX without CONCURRENTLY blocks every write to the table until the index is built",
            "name the index and leave out botshift:plain, so Botshift builds it CONCURRENTLY; or write CREATE INDEX"
                    + " CONCURRENTLY in a changeset with runInTransaction:false"),
    DROP_INDEX("expand-drop-index", Severity.ERROR,
            "DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE, and the old version's queries may need the index",
            "DROP INDEX CONCURRENTLY (runInTransaction:false), preferably in contract"),
    DROP_OBJECT("expand-drop-object", Severity.ERROR,
            "the old version may still use what is dropped (a view, sequence, function, type, schema, extension,"
                    + " constraint, generation expression, partition, privileges or rows)",
            "drop it in a contract changeset"),
    CONCURRENTLY_IN_TRANSACTION("concurrently-in-transaction", Severity.ERROR,
            "CONCURRENTLY (and VACUUM) cannot run inside a transaction block; PostgreSQL would reject the changeset",
            "set runInTransaction:false on this changeset (and keep that statement alone in it)"),
    CONTRACT_ADDITIVE("contract-additive", Severity.WARNING,
            "an additive change belongs to expand: in contract it runs after the new version already started"
                    + " without it",
            "move it to an expand changeset"),
    EXPAND_UNCLASSIFIED("expand-unclassified-statement", Severity.ERROR,
            "in expand the old version is serving: a statement the linter cannot read may block its writes or break"
                    + " it (CLUSTER, an unnamed CREATE INDEX...), and Botshift can run it neither lock-light nor"
                    + " politely",
            "write it in a form the linter reads, move it to contract, or accept it:"
                    + " botshift:accept expand-unclassified-statement <reason>"),
    UNCLASSIFIED("unclassified-statement", Severity.WARNING,
            "the linter could not parse or classify this statement, so it cannot vouch for it",
            "check it by hand; accept it with botshift:accept unclassified-statement <reason>"),
    RENAME_OBJECT("expand-rename-object", Severity.ERROR,
            "the old version still uses the old name (of a schema, sequence, view, function, type, enum value,"
                    + " index or constraint)",
            "expand: create the new object next to the old one; contract: drop the old one"),
    ALTER_IDENTITY("expand-alter-identity", Severity.ERROR,
            "the old version's inserts rely on the identity column as it is: without it they get no id, with"
                    + " GENERATED ALWAYS their explicit ids are refused",
            "change the identity in contract, once the old version is gone"),
    DROP_NOT_NULL("expand-drop-not-null", Severity.WARNING,
            "the old version survives the relaxed column, but if the release is rolled back it reads the NULLs the"
                    + " new version wrote",
            "make sure the old version reads NULLs safely, or relax the column in contract"),
    RECREATE_UNIQUE_INDEX("expand-recreate-unique-index", Severity.ERROR,
            "the index is dropped and built again as UNIQUE: while it is rebuilt the old version's queries run"
                    + " without it, and the new uniqueness rule refuses the old version's duplicate writes",
            "expand: build a new UNIQUE index under another name CONCURRENTLY, once the old version writes no"
                    + " duplicates; contract: drop the old index"),
    JSON_COLUMN("expand-json-column", Severity.WARNING,
            "PostgreSQL has no equality operator for json: the old version's SELECT DISTINCT, UNION or GROUP BY over"
                    + " the table's columns fails once the column exists",
            "use jsonb"),
    TABLE_REWRITE("table-rewrite", Severity.ERROR, Severity.WARNING,
            "it rewrites the whole table under ACCESS EXCLUSIVE: every read and write of the table waits until the"
                    + " rewrite is done, for as long as the table is big (expand: the old version; contract: the"
                    + " new version)",
            "add the column without the default (or as a plain column) and fill it in batches; for maintenance use"
                    + " pg_repack or pg_squeeze outside the release; accept it only for a small table"),
    BLOCKING_STATEMENT("blocking-statement", Severity.ERROR, Severity.WARNING,
            "it holds a lock that blocks the table's writes (or reads) for as long as it works",
            "use the CONCURRENTLY form (REINDEX, REFRESH MATERIALIZED VIEW, DETACH PARTITION) in a changeset with"
                    + " runInTransaction:false; drop explicit LOCK TABLE; for an exclusion constraint, accept it only"
                    + " for a small table"),
    BACKFILL_WITH_DDL("backfill-with-ddl", Severity.ERROR, Severity.WARNING,
            "a data change that may touch the whole table runs in the same transaction after a schema change, so the"
                    + " schema change's ACCESS EXCLUSIVE lock is held until the data change commits",
            "move the UPDATE/DELETE to its own changeset (and batch it for a big table)"),
    TRUNCATE_CASCADE("truncate-cascade", Severity.ERROR, Severity.ERROR,
            "TRUNCATE ... CASCADE also empties every table with a foreign key to this one, tables the statement"
                    + " does not name",
            "delete the rows you mean, table by table"),
    DROP_DATABASE("drop-database", Severity.ERROR, Severity.ERROR,
            "a changelog that drops a database drops everything in it, in any phase",
            "do it by hand, outside the release"),
    TRANSACTION_CONTROL("transaction-control", Severity.ERROR, Severity.ERROR,
            "Liquibase runs each changeset in its own transaction: a BEGIN, COMMIT or ROLLBACK inside it ends that"
                    + " transaction early, so a failure (or a lock-timeout retry) leaves the changeset half applied"
                    + " and unrecorded",
            "split the changeset instead; for statements that cannot run in a transaction use runInTransaction:false"),
    PRECONDITION_HALTS("precondition-halts", Severity.ERROR, Severity.ERROR,
            "the changeset's preconditions exclude PostgreSQL and onFail is HALT (the default): Liquibase would stop"
                    + " the whole update at this changeset",
            "set onFail=\"MARK_RAN\" (or CONTINUE) on its preconditions, so PostgreSQL skips it"),
    PASSWORD_LITERAL("password-literal", Severity.WARNING,
            "a password is written in the changelog: it is in the repository and in every clone of it, and the"
                    + " database's statement log keeps it",
            "write '${name}' for it and set name: ${env:NAME} in the plan's database.parameters (from a CI secret or"
                    + " a Kubernetes Secret)"),
    PHASES_PATTERN_UNUSED("phases-pattern-unused", Severity.WARNING,
            "a pattern of the phases file matches no changeset: a typo, or a changeset since renamed, would leave"
                    + " a changeset without its phase",
            "correct the pattern or remove it");

    private final String id;
    private final Severity severity;
    private final Severity contractSeverity;
    private final String why;
    private final String instead;

    Rule(String id, Severity severity, String why, String instead) {
        this(id, severity, null, why, instead);
    }

    /** A rule of both phases: {@code contractSeverity} applies in contract, {@code severity} everywhere else. */
    Rule(String id, Severity severity, Severity contractSeverity, String why, String instead) {
        this.id = id;
        this.severity = severity;
        this.contractSeverity = contractSeverity;
        this.why = why;
        this.instead = instead;
    }

    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }

    /** The severity in {@code phase} (null: the changeset's phase is unknown). */
    public Severity severity(SchemaPhase phase) {
        return phase == SchemaPhase.CONTRACT && contractSeverity != null ? contractSeverity
                : severity;
    }

    public String why() {
        return why;
    }

    public String instead() {
        return instead;
    }

    /**
     * Label rules cannot be accepted (an unlabelled changeset would run in every phase), nor can a precondition
     * that halts the update (it cannot run as written).
     */
    public boolean acceptable() {
        return this != PHASE_LABEL_MISSING && this != PHASE_LABEL_BOTH && this != PRECONDITION_HALTS;
    }
}
