package dev.botshift.schema.lint;

import dev.botshift.core.VisibleText;
import dev.botshift.schema.PasswordLiterals;

/** How a finding names what an effect does: the table, the column, the object, the statement's first 80 characters. */
final class EffectText {
    private EffectText() {
    }

    static String describe(Effect e) {
        if (e instanceof Effect.AddColumn c) {
            return "column " + c.table() + "." + c.column() + (c.rewrites() == null ? "" : ", " + c.rewrites());
        }
        if (e instanceof Effect.OnColumn c) {
            return "column " + e.table() + "." + c.column()
                    + (e instanceof Effect.ChangeType t ? " to " + t.newType() : "");
        }
        if (e instanceof Effect.AddConstraint c) {
            return c.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + (c.name() == null ? "" : " " + c.name()) + " on " + c.table();
        }
        if (e instanceof Effect.DropConstraint c) {
            return "constraint " + c.name() + " on " + c.table();
        }
        if (e instanceof Effect.CreateIndex c) {
            return (c.index() == null ? "an unnamed index" : "index " + c.index()) + " on " + c.table();
        }
        if (e instanceof Effect.DropIndex c) {
            return "index " + c.index();
        }
        if (e instanceof Effect.AlterIdentity c) {
            return c.what() + " on " + c.table() + "." + c.column();
        }
        if (e instanceof Effect.Truncate c) {
            return "TRUNCATE " + c.table() + (c.cascade() ? " CASCADE" : "");
        }
        if (e instanceof Effect.DropDatabase c) {
            return "DROP DATABASE " + c.name();
        }
        if (e instanceof Effect.Unclassified c) {
            return "statement '" + first80(c.statement()) + "'";
        }
        if (e instanceof Effect.Described d) {
            return d.what() + (e.table() == null ? "" : " on " + e.table());
        }
        return "table " + e.table();
    }

    static String first80(String statement) {
        return VisibleText.cut(String.join(" ", PasswordLiterals.hidden(statement).strip().split("\\s+")), 80);
    }
}
