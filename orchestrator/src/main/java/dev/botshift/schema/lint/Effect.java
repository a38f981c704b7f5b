package dev.botshift.schema.lint;

/**
 * What one change or SQL statement does to the schema, independent of the changelog format it was written in.
 * Table and column names are as PostgreSQL will know them (unquoted names folded to lower case) and unqualified;
 * {@code null} when the statement does not name them.
 */
public sealed interface Effect {

    /** Names the table the effect touches, or null. */
    String table();

    /** An effect on one column of its table (AddColumn and AlterIdentity are described apart). */
    sealed interface OnColumn extends Effect {
        String column();
    }

    /** An effect that carries its own description of what it touches. */
    sealed interface Described extends Effect {
        String what();
    }

    /** @param columnTypes column to declared type; empty when the statement could not be parsed */
    record CreateTable(String table, java.util.Map<String, String> columnTypes) implements Effect {
    }

    /**
     * @param rewrites why adding it rewrites the table (a volatile default, a serial, identity or stored generated
     *                 column), or null when it does not
     */
    record AddColumn(String table, String column, String type, boolean notNull, boolean hasDefault, String rewrites)
            implements Effect {
    }

    record DropColumn(String table, String column) implements OnColumn {
    }

    record DropTable(String table) implements Effect {
    }

    record RenameColumn(String table, String column) implements OnColumn {
    }

    /** A table renamed or moved to another schema: the old name disappears. */
    record RenameTable(String table) implements Effect {
    }

    /** A schema, sequence, view, function, type, enum value, index or constraint renamed or moved. */
    record RenameObject(String table, String what) implements Described {
    }

    record ChangeType(String table, String column, String newType) implements OnColumn {
    }

    record SetNotNull(String table, String column) implements OnColumn {
    }

    /** {@code DROP NOT NULL}: harmless for the old version, until it reads the NULLs the new one wrote. */
    record DropNotNull(String table, String column) implements OnColumn {
    }

    enum ConstraintKind { FOREIGN_KEY, CHECK, UNIQUE, PRIMARY_KEY, EXCLUSION }

    /**
     * @param name       the constraint's name, or null
     * @param validated  false for {@code NOT VALID}
     * @param usingIndex true for {@code ... USING INDEX name} (the index was built beforehand, e.g. CONCURRENTLY)
     */
    record AddConstraint(String table, String name, ConstraintKind kind, boolean validated, boolean usingIndex)
            implements Effect {
    }

    /** A constraint dropped by name; {@link SchemaKnowledge} may know its kind. */
    record DropConstraint(String table, String name) implements Effect {
    }

    record CreateIndex(String table, String index, boolean concurrently, boolean unique) implements Effect {
    }

    record DropIndex(String table, String index, boolean concurrently) implements Effect {
    }

    /** Dropping a view, sequence, function, type, rows...: old code may still use it. */
    record DropObject(String table, String what) implements Described {
    }

    /** An identity column dropped or made {@code GENERATED ALWAYS}: the old version's inserts change meaning. */
    record AlterIdentity(String table, String column, String what) implements Effect {
    }

    /** {@code TRUNCATE}; with {@code CASCADE} it empties every table that references this one too. */
    record Truncate(String table, boolean cascade) implements Effect {
    }

    /** {@code DROP DATABASE}. */
    record DropDatabase(String name) implements Effect {
        @Override
        public String table() {
            return null;
        }
    }

    /**
     * A statement that holds a lock blocking the table's readers or writers while it works.
     *
     * @param rewrite            true when it rewrites the whole table (the lock lasts as long as the table is big)
     * @param outsideTransaction PostgreSQL refuses it inside a transaction block (VACUUM FULL)
     */
    record Blocking(String table, String what, boolean rewrite, boolean outsideTransaction) implements Described {
    }

    /** {@code BEGIN}, {@code COMMIT}... inside a changeset: Liquibase runs each changeset in its own transaction. */
    record TransactionControl(String what) implements Described {
        @Override
        public String table() {
            return null;
        }
    }

    /** Adds something old code does not see (a view, a sequence, an extension, an enum value...). */
    record Additive(String table, String what) implements Described {
    }

    /** A data change that may touch many rows: {@code UPDATE}, {@code DELETE}, {@code INSERT ... SELECT}. */
    record Backfill(String table, String what) implements Described {
    }

    /**
     * Safe in either phase: small data changes, relaxing constraints, validating a NOT VALID constraint...
     *
     * @param outsideTransaction PostgreSQL refuses it inside a transaction block (VACUUM, REINDEX CONCURRENTLY)
     */
    record Harmless(String table, String what, boolean outsideTransaction) implements Described {
        public Harmless(String table, String what) {
            this(table, what, false);
        }
    }

    /** The statement could not be parsed or is of a kind the linter does not know. */
    record Unclassified(String table, String statement, String reason) implements Effect {
    }
}
