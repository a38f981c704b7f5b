package dev.botshift.schema.lint;

/**
 * What one change or SQL statement does to the schema, independent of the changelog format it was written in.
 * Table and column names are lower-case and unqualified; {@code null} when the statement does not name them.
 */
public sealed interface Effect {

    /** Names the table the effect touches, or null. */
    String table();

    record CreateTable(String table, java.util.Map<String, String> columnTypes) implements Effect {
    }

    record AddColumn(String table, String column, String type, boolean notNull, boolean hasDefault) implements Effect {
    }

    record DropColumn(String table, String column) implements Effect {
    }

    record DropTable(String table) implements Effect {
    }

    record RenameColumn(String table, String column) implements Effect {
    }

    record RenameTable(String table) implements Effect {
    }

    record ChangeType(String table, String column, String newType) implements Effect {
    }

    record SetNotNull(String table, String column) implements Effect {
    }

    enum ConstraintKind { FOREIGN_KEY, CHECK, UNIQUE, PRIMARY_KEY }

    /**
     * @param validated  false for {@code NOT VALID}
     * @param usingIndex true for {@code ... USING INDEX name} (the index was built beforehand, e.g. CONCURRENTLY)
     */
    record AddConstraint(String table, ConstraintKind kind, boolean validated, boolean usingIndex) implements Effect {
    }

    record CreateIndex(String table, String index, boolean concurrently) implements Effect {
    }

    record DropIndex(String table, String index, boolean concurrently) implements Effect {
    }

    /** Dropping a view, sequence, function, type...: old code may still use it. */
    record DropObject(String table, String what) implements Effect {
    }

    /** Adds something old code does not see (a view, a sequence, a comment...). */
    record Additive(String table, String what) implements Effect {
    }

    /** Safe in either phase: data changes, relaxing constraints, validating a NOT VALID constraint... */
    record Harmless(String table, String what) implements Effect {
    }

    /** The statement could not be parsed or is of a kind the linter does not know. */
    record Unclassified(String table, String statement, String reason) implements Effect {
    }
}
