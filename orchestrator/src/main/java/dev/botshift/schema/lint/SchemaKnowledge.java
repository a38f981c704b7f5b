package dev.botshift.schema.lint;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the linter learned from the changesets read so far, across all included files in changelog order. A table
 * counts as "new" only for changesets of the file that created it: a root changelog includes earlier releases'
 * files, and their tables are live by now.
 */
final class SchemaKnowledge {
    /** The "file" of changesets the database already ran: what they created is live, new to no one. */
    static final String LIVE = "";

    private final Map<String, Set<String>> tablesCreatedByFile = new HashMap<>();
    private final Map<String, String> columnTypes = new HashMap<>();
    private final Set<String> tablesWithUnknownColumns = new HashSet<>();
    private final Map<String, String> indexTables = new HashMap<>();
    private final Map<String, Effect.ConstraintKind> constraintKinds = new HashMap<>();
    /** Per file: indexes dropped there, index name to table (null when unknown). */
    private final Map<String, Map<String, String>> indexesDroppedByFile = new HashMap<>();

    boolean isNew(String table, String file) {
        return table != null && tablesCreatedByFile.getOrDefault(file, Set.of()).contains(table);
    }

    /** The column's type as the changelog last declared it, or null. */
    String columnType(String table, String column) {
        return columnTypes.get(table + "." + column);
    }

    /** Why the old type of {@code table.column} is unknown, for the finding. */
    String unknownType(String table, String column) {
        return tablesWithUnknownColumns.contains(table)
                ? "its old type is unknown: the statement that created " + table + " could not be read"
                : "its old type is unknown: no file of this changelog declares " + table + "." + column;
    }

    String tableOfIndex(String index) {
        return indexTables.get(index);
    }

    Effect.ConstraintKind constraintKind(String name) {
        return name == null ? null : constraintKinds.get(name);
    }

    /** True when {@code index} (or an index on {@code table}) was dropped earlier in {@code file}. */
    boolean droppedInFile(String index, String table, String file) {
        Map<String, String> dropped = indexesDroppedByFile.getOrDefault(file, Map.of());
        return index != null && dropped.containsKey(index) || table != null && dropped.containsValue(table);
    }

    void learn(Effect effect, String file) {
        if (effect instanceof Effect.CreateTable c) {
            if (!file.equals(LIVE)) {
                tablesCreatedByFile.computeIfAbsent(file, f -> new HashSet<>()).add(c.table());
            }
            c.columnTypes().forEach((col, type) -> columnTypes.put(c.table() + "." + col, type));
            if (c.columnTypes().isEmpty()) {
                tablesWithUnknownColumns.add(c.table());
            }
        } else if (effect instanceof Effect.AddColumn c) {
            columnTypes.put(c.table() + "." + c.column(), c.type());
        } else if (effect instanceof Effect.ChangeType c) {
            columnTypes.put(c.table() + "." + c.column(), c.newType());
        } else if (effect instanceof Effect.CreateIndex c && c.index() != null) {
            indexTables.put(c.index(), c.table());
        } else if (effect instanceof Effect.AddConstraint c && c.name() != null) {
            constraintKinds.put(c.name(), c.kind());
        } else if (effect instanceof Effect.DropIndex d && d.index() != null) {
            indexesDroppedByFile.computeIfAbsent(file, f -> new HashMap<>())
                    .put(d.index(), d.table() != null ? d.table() : indexTables.get(d.index()));
        }
    }
}
