package dev.botshift.schema.lint;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import liquibase.database.ObjectQuotingStrategy;
import liquibase.database.core.PostgresDatabase;
import liquibase.structure.core.Table;

/**
 * Identifiers as PostgreSQL resolves them, so that a table named by a typed change and by raw SQL compare equal
 * exactly when they are the same table: unquoted names fold to lower case, quoted ones keep their case.
 */
final class Names {
    /** One offline PostgreSQL dialect per quoting strategy: Liquibase decides which typed names it quotes. */
    private static final Map<ObjectQuotingStrategy, PostgresDatabase> DIALECTS = new EnumMap<>(ObjectQuotingStrategy.class);

    static {
        for (ObjectQuotingStrategy s : ObjectQuotingStrategy.values()) {
            PostgresDatabase db = new PostgresDatabase();
            db.setObjectQuotingStrategy(s);
            DIALECTS.put(s, db);
        }
    }

    private Names() {
    }

    /** A name written in SQL: {@code "Public"."Users"} is {@code Users}, {@code public.users} is {@code users}. */
    static String plain(String name) {
        if (name == null) {
            return null;
        }
        String last = name.substring(name.lastIndexOf('.') + 1).trim();
        if (last.length() >= 2 && last.startsWith("\"") && last.endsWith("\"")) {
            return last.substring(1, last.length() - 1);
        }
        return last.toLowerCase(Locale.ROOT);
    }

    /**
     * A name given to a typed change ({@code tableName="Orders"}): as Liquibase writes it into the SQL under the
     * changeset's {@code objectQuotingStrategy} (quoted under QUOTE_ALL_OBJECTS, quoted when of mixed case under
     * LEGACY...), then as PostgreSQL resolves that.
     */
    static String typed(String name, ObjectQuotingStrategy strategy) {
        if (name == null || name.isBlank()) {
            return null;
        }
        if (name.contains("\"") || name.contains(".")) {
            return plain(name);
        }
        PostgresDatabase dialect = DIALECTS.get(strategy == null ? ObjectQuotingStrategy.LEGACY : strategy);
        return plain(dialect.escapeObjectName(name.trim(), Table.class));
    }
}
