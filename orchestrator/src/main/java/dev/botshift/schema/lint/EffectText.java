package dev.botshift.schema.lint;

/** How a finding names what an effect does: the table, the column, the object, the statement's first 80 characters. */
final class EffectText {
    private EffectText() {
    }

    static String describe(Effect e) {
        if (e instanceof Effect.AddColumn c) {
            return "column " + c.table() + "." + c.column() + (c.rewrites() == null ? "" : ", " + c.rewrites());
        }
        String column = column(e);
        if (column != null) {
            return "column " + e.table() + "." + column + (e instanceof Effect.ChangeType c ? " to " + c.newType() : "");
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
        String what = what(e);
        if (what != null) {
            return what + (e.table() == null ? "" : " on " + e.table());
        }
        return "table " + e.table();
    }

    /** The column of a column-level effect, or null. */
    private static String column(Effect e) {
        if (e instanceof Effect.DropColumn c) {
            return c.column();
        }
        if (e instanceof Effect.RenameColumn c) {
            return c.column();
        }
        if (e instanceof Effect.SetNotNull c) {
            return c.column();
        }
        if (e instanceof Effect.DropNotNull c) {
            return c.column();
        }
        return e instanceof Effect.ChangeType c ? c.column() : null;
    }

    /** The description of an effect that carries one, or null. */
    private static String what(Effect e) {
        if (e instanceof Effect.DropObject c) {
            return c.what();
        }
        if (e instanceof Effect.RenameObject c) {
            return c.what();
        }
        if (e instanceof Effect.Blocking c) {
            return c.what();
        }
        if (e instanceof Effect.TransactionControl c) {
            return c.what();
        }
        if (e instanceof Effect.Additive c) {
            return c.what();
        }
        if (e instanceof Effect.Harmless c) {
            return c.what();
        }
        return e instanceof Effect.Backfill c ? c.what() : null;
    }

    static String first80(String statement) {
        String oneLine = String.join(" ", statement.strip().split("\\s+"));
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 80) + "...";
    }
}
