package dev.botshift.schema.lint;

import java.util.List;
import java.util.Locale;

/**
 * Type changes PostgreSQL performs without rewriting the table and that old code cannot notice: binary-coercible
 * widenings. Anything else (or an old type the changelog never declared) is treated as unsafe.
 */
final class TypeWidening {

    private record SqlType(String name, List<Integer> args) {
    }

    private TypeWidening() {
    }

    static boolean isSafe(String oldType, String newType) {
        if (oldType == null || newType == null) {
            return false;
        }
        SqlType from = parse(oldType);
        SqlType to = parse(newType);
        if (from == null || to == null) {
            return false;
        }
        if (from.equals(to)) {
            return true;
        }
        boolean fromText = from.name.equals("varchar") || from.name.equals("text");
        if (fromText && to.name.equals("text")) {
            return true;
        }
        if (fromText && to.name.equals("varchar")) {
            return to.args.isEmpty() || from.name.equals("varchar") && !from.args.isEmpty()
                    && to.args.get(0) >= from.args.get(0);
        }
        if (from.name.equals("numeric") && to.name.equals("numeric")) {
            if (to.args.isEmpty()) {
                return true;
            }
            int fromScale = from.args.size() > 1 ? from.args.get(1) : 0;
            int toScale = to.args.size() > 1 ? to.args.get(1) : 0;
            return !from.args.isEmpty() && fromScale == toScale && to.args.get(0) >= from.args.get(0);
        }
        return false;
    }

    /** {@code VARCHAR (200)}, {@code character varying(20)}, {@code numeric(4,3)}; null when not of that shape. */
    private static SqlType parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int open = t.indexOf('(');
        String name = (open < 0 ? t : t.substring(0, open)).trim();
        // as Liquibase renders them on PostgreSQL: nvarchar is varchar, clob is text
        name = switch (name) {
            case "character varying", "nvarchar", "varchar2", "nvarchar2", "national character varying" -> "varchar";
            case "decimal" -> "numeric";
            case "clob", "nclob", "longtext", "mediumtext" -> "text";
            default -> name;
        };
        if (open < 0) {
            return new SqlType(name, List.of());
        }
        int close = t.indexOf(')', open);
        if (close < 0) {
            return null;
        }
        try {
            List<Integer> args = java.util.Arrays.stream(t.substring(open + 1, close).split(","))
                    .map(String::trim).map(Integer::parseInt).toList();
            return new SqlType(name, args);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
