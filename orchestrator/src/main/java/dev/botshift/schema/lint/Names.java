package dev.botshift.schema.lint;

import java.util.Locale;

/** Identifier handling: PostgreSQL folds unquoted names to lower case; the linter compares names that way. */
final class Names {
    private Names() {
    }

    /** {@code "Public"."Users"} and {@code users} both become {@code users}: schema dropped, quotes removed. */
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
}
