package dev.botshift.schema.lint;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the linter learned from the changesets read so far. A table counts as "new" only for changesets of the file
 * that created it: a root changelog includes earlier releases' files, and their tables are live by now.
 */
final class SchemaKnowledge {
    private final Map<String, Set<String>> tablesCreatedByFile = new HashMap<>();
    private final Map<String, String> columnTypes = new HashMap<>();
    private final Map<String, String> indexTables = new HashMap<>();

    boolean isNew(String table, String file) {
        return table != null && tablesCreatedByFile.getOrDefault(file, Set.of()).contains(table);
    }

    String columnType(String table, String column) {
        return columnTypes.get(table + "." + column);
    }

    String tableOfIndex(String index) {
        return indexTables.get(index);
    }

    void learn(Effect effect, String file) {
        if (effect instanceof Effect.CreateTable c) {
            tablesCreatedByFile.computeIfAbsent(file, f -> new HashSet<>()).add(c.table());
            c.columnTypes().forEach((col, type) -> columnTypes.put(c.table() + "." + col, type));
        } else if (effect instanceof Effect.AddColumn c) {
            columnTypes.put(c.table() + "." + c.column(), c.type());
        } else if (effect instanceof Effect.ChangeType c) {
            columnTypes.put(c.table() + "." + c.column(), c.newType());
        } else if (effect instanceof Effect.CreateIndex c && c.index() != null) {
            indexTables.put(c.index(), c.table());
        }
    }
}
