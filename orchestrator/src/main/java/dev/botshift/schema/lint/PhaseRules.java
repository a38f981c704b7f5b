package dev.botshift.schema.lint;

import dev.botshift.schema.SchemaPhase;
import java.util.ArrayList;
import java.util.List;

/** Which rules one effect breaks in one phase. */
final class PhaseRules {

    /** A broken rule and the specifics (table, column, statement) of this occurrence. */
    record Hit(Rule rule, String detail) {
    }

    private PhaseRules() {
    }

    /** @param phase null when the changeset's phase is unknown (its label finding is reported separately) */
    static List<Hit> check(SchemaPhase phase, Effect effect, boolean runInTransaction, String file, SchemaKnowledge known) {
        List<Hit> hits = new ArrayList<>();
        if (effect instanceof Effect.Unclassified u) {
            // what cannot be read cannot be vouched for: refused while the old version serves, a warning in contract
            hits.add(new Hit(phase == SchemaPhase.EXPAND ? Rule.EXPAND_UNCLASSIFIED : Rule.UNCLASSIFIED,
                    "statement '" + first80(u.statement()) + "': " + u.reason()));
        }
        boolean concurrently = effect instanceof Effect.CreateIndex c && c.concurrently()
                || effect instanceof Effect.DropIndex d && d.concurrently();
        if (concurrently && runInTransaction) {
            hits.add(new Hit(Rule.CONCURRENTLY_IN_TRANSACTION, "index on " + effect.table()));
        }
        if (phase == SchemaPhase.EXPAND) {
            expand(effect, file, known).ifPresent(hits::add);
        } else if (phase == SchemaPhase.CONTRACT && isAdditive(effect)) {
            hits.add(new Hit(Rule.CONTRACT_ADDITIVE, describe(effect)));
        }
        return hits;
    }

    private static java.util.Optional<Hit> expand(Effect effect, String file, SchemaKnowledge known) {
        String table = effect instanceof Effect.DropIndex d && d.table() == null ? known.tableOfIndex(d.index())
                : effect.table();
        if (known.isNew(table, file)) {
            // The old version has never seen this table: nothing it does can be disturbed.
            return java.util.Optional.empty();
        }
        Rule rule = expandRule(effect, known);
        return rule == null ? java.util.Optional.empty() : java.util.Optional.of(new Hit(rule, describe(effect)));
    }

    private static Rule expandRule(Effect effect, SchemaKnowledge known) {
        if (effect instanceof Effect.DropColumn) {
            return Rule.DROP_COLUMN;
        }
        if (effect instanceof Effect.DropTable) {
            return Rule.DROP_TABLE;
        }
        if (effect instanceof Effect.RenameColumn) {
            return Rule.RENAME_COLUMN;
        }
        if (effect instanceof Effect.RenameTable) {
            return Rule.RENAME_TABLE;
        }
        if (effect instanceof Effect.ChangeType e) {
            return TypeWidening.isSafe(known.columnType(e.table(), e.column()), e.newType()) ? null : Rule.COLUMN_TYPE;
        }
        if (effect instanceof Effect.SetNotNull) {
            return Rule.SET_NOT_NULL;
        }
        if (effect instanceof Effect.AddColumn e) {
            return e.notNull() && !e.hasDefault() ? Rule.ADD_NOT_NULL_COLUMN : null;
        }
        if (effect instanceof Effect.AddConstraint e) {
            return constraintRule(e);
        }
        if (effect instanceof Effect.CreateIndex e) {
            return e.concurrently() ? null : Rule.CREATE_INDEX;
        }
        if (effect instanceof Effect.DropIndex e) {
            return e.concurrently() ? null : Rule.DROP_INDEX;
        }
        return effect instanceof Effect.DropObject ? Rule.DROP_OBJECT : null;
    }

    private static Rule constraintRule(Effect.AddConstraint e) {
        return switch (e.kind()) {
            case FOREIGN_KEY -> e.validated() ? Rule.ADD_FOREIGN_KEY : null;
            case CHECK -> e.validated() ? Rule.ADD_CHECK : null;
            case UNIQUE, PRIMARY_KEY -> e.usingIndex() ? null : Rule.ADD_UNIQUE;
        };
    }

    private static boolean isAdditive(Effect e) {
        return e instanceof Effect.CreateTable || e instanceof Effect.AddColumn || e instanceof Effect.CreateIndex
                || e instanceof Effect.Additive;
    }

    private static String describe(Effect e) {
        if (e instanceof Effect.AddColumn c) {
            return "column " + c.table() + "." + c.column();
        }
        if (e instanceof Effect.DropColumn c) {
            return "column " + c.table() + "." + c.column();
        }
        if (e instanceof Effect.RenameColumn c) {
            return "column " + c.table() + "." + c.column();
        }
        if (e instanceof Effect.SetNotNull c) {
            return "column " + c.table() + "." + c.column();
        }
        if (e instanceof Effect.ChangeType c) {
            return "column " + c.table() + "." + c.column() + " to " + c.newType();
        }
        if (e instanceof Effect.AddConstraint c) {
            return c.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " on " + c.table();
        }
        if (e instanceof Effect.CreateIndex c) {
            return "index " + c.index() + " on " + c.table();
        }
        if (e instanceof Effect.DropIndex c) {
            return "index " + c.index();
        }
        if (e instanceof Effect.DropObject c) {
            return c.what() + (c.table() == null ? "" : " on " + c.table());
        }
        if (e instanceof Effect.Additive c) {
            return c.what();
        }
        return "table " + e.table();
    }

    static String first80(String statement) {
        String oneLine = String.join(" ", statement.strip().split("\\s+"));
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 80) + "...";
    }
}
