package dev.botshift.schema.lint;

import dev.botshift.schema.SchemaPhase;
import java.util.ArrayList;
import java.util.List;

/**
 * Which rules one effect breaks in one phase. Expand rules protect what the old version uses; the lock and safety
 * rules of both phases protect whichever version is serving. Nothing applies to a table created earlier in the same
 * changelog file: no version uses it yet.
 */
final class PhaseRules {

    /** A broken rule and the specifics (table, column, statement) of this occurrence. */
    record Hit(Rule rule, String detail) {
    }

    private PhaseRules() {
    }

    /** @param phase null when the changeset's phase is unknown (its label finding is reported separately) */
    static List<Hit> check(SchemaPhase phase, Effect effect, boolean runInTransaction, String file, SchemaKnowledge known) {
        List<Hit> hits = new ArrayList<>();
        boolean fresh = known.isNew(tableOf(effect, known), file);
        if (needsNoTransaction(effect) && runInTransaction) {
            hits.add(new Hit(Rule.CONCURRENTLY_IN_TRANSACTION, EffectText.describe(effect)));
        }
        if (effect instanceof Effect.Unclassified u && !fresh) {
            // what cannot be read cannot be vouched for: refused while the old version serves, a warning in contract
            hits.add(new Hit(phase == SchemaPhase.EXPAND ? Rule.EXPAND_UNCLASSIFIED : Rule.UNCLASSIFIED,
                    "statement '" + EffectText.first80(u.statement()) + "': " + u.reason()));
        }
        if (phase == null) {
            return hits;
        }
        Rule both = fresh ? anyTable(effect) : anyPhase(effect, phase, known);
        if (both != null) {
            hits.add(new Hit(both, EffectText.describe(effect)));
        }
        if (phase == SchemaPhase.EXPAND && !fresh) {
            expand(effect, file, known).forEach(rule -> hits.add(new Hit(rule, describeFor(rule, effect, known))));
        } else if (phase == SchemaPhase.CONTRACT && isAdditive(effect)) {
            hits.add(new Hit(Rule.CONTRACT_ADDITIVE, EffectText.describe(effect)));
        }
        return hits;
    }

    /** Refused on any table, new or not. */
    private static Rule anyTable(Effect effect) {
        if (effect instanceof Effect.Truncate t && t.cascade()) {
            return Rule.TRUNCATE_CASCADE;
        }
        if (effect instanceof Effect.DropDatabase) {
            return Rule.DROP_DATABASE;
        }
        return effect instanceof Effect.TransactionControl ? Rule.TRANSACTION_CONTROL : null;
    }

    /** The lock and safety rules of both phases, on a table some version uses. */
    private static Rule anyPhase(Effect effect, SchemaPhase phase, SchemaKnowledge known) {
        Rule always = anyTable(effect);
        if (always != null) {
            return always;
        }
        if (effect instanceof Effect.Blocking b) {
            return b.rewrite() ? Rule.TABLE_REWRITE : Rule.BLOCKING_STATEMENT;
        }
        if (effect instanceof Effect.AddColumn c && c.rewrites() != null) {
            return Rule.TABLE_REWRITE;
        }
        if (effect instanceof Effect.AddConstraint c && (c.kind() == Effect.ConstraintKind.EXCLUSION
                || phase == SchemaPhase.CONTRACT && blocksWritesWhileAdded(c))) {
            return Rule.BLOCKING_STATEMENT; // in expand the constraint's own rule says it, and more
        }
        if (phase == SchemaPhase.CONTRACT && effect instanceof Effect.ChangeType c
                && !TypeWidening.isSafe(known.columnType(c.table(), c.column()), c.newType())) {
            return Rule.TABLE_REWRITE; // in expand expand-column-type says it, and more
        }
        return null;
    }

    private static List<Rule> expand(Effect effect, String file, SchemaKnowledge known) {
        if (effect instanceof Effect.AddColumn e) {
            List<Rule> rules = new ArrayList<>();
            if (e.notNull() && !e.hasDefault()) {
                rules.add(Rule.ADD_NOT_NULL_COLUMN);
            }
            if (ColumnSpecs.isJson(e.type())) {
                rules.add(Rule.JSON_COLUMN);
            }
            return rules;
        }
        if (effect instanceof Effect.CreateIndex e) {
            List<Rule> rules = new ArrayList<>();
            if (!e.concurrently()) {
                rules.add(Rule.CREATE_INDEX);
            }
            if (e.unique() && known.droppedInFile(e.index(), e.table(), file)) {
                rules.add(Rule.RECREATE_UNIQUE_INDEX);
            }
            return rules;
        }
        Rule rule = expandRule(effect, known);
        return rule == null ? List.of() : List.of(rule);
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
        if (effect instanceof Effect.RenameObject) {
            return Rule.RENAME_OBJECT;
        }
        if (effect instanceof Effect.ChangeType e) {
            return TypeWidening.isSafe(known.columnType(e.table(), e.column()), e.newType()) ? null : Rule.COLUMN_TYPE;
        }
        if (effect instanceof Effect.SetNotNull) {
            return Rule.SET_NOT_NULL;
        }
        if (effect instanceof Effect.DropNotNull) {
            return Rule.DROP_NOT_NULL;
        }
        if (effect instanceof Effect.AddConstraint e) {
            return switch (e.kind()) {
                case FOREIGN_KEY -> e.validated() ? Rule.ADD_FOREIGN_KEY : null;
                case CHECK -> e.validated() ? Rule.ADD_CHECK : null;
                case UNIQUE, PRIMARY_KEY -> e.usingIndex() ? null : Rule.ADD_UNIQUE;
                case EXCLUSION -> null; // blocking-statement, in both phases
            };
        }
        if (effect instanceof Effect.DropConstraint d) {
            // dropping a foreign key or a check only relaxes what the old version may write
            Effect.ConstraintKind kind = known.constraintKind(d.name());
            return kind == Effect.ConstraintKind.FOREIGN_KEY || kind == Effect.ConstraintKind.CHECK ? null
                    : Rule.DROP_OBJECT;
        }
        if (effect instanceof Effect.DropIndex e) {
            return e.concurrently() ? null : Rule.DROP_INDEX;
        }
        if (effect instanceof Effect.AlterIdentity) {
            return Rule.ALTER_IDENTITY;
        }
        if (effect instanceof Effect.Truncate t) {
            return t.cascade() ? null : Rule.DROP_OBJECT; // with CASCADE: truncate-cascade, in both phases
        }
        return effect instanceof Effect.DropObject ? Rule.DROP_OBJECT : null;
    }

    /** A validated foreign key or check scans the table, a unique or primary key builds its index, blocking writes. */
    private static boolean blocksWritesWhileAdded(Effect.AddConstraint c) {
        return switch (c.kind()) {
            case FOREIGN_KEY, CHECK -> c.validated();
            case UNIQUE, PRIMARY_KEY -> !c.usingIndex();
            case EXCLUSION -> true;
        };
    }

    /** The table an effect is about; a dropped index's table is looked up by the index name. */
    static String tableOf(Effect effect, SchemaKnowledge known) {
        return effect instanceof Effect.DropIndex d && d.table() == null ? known.tableOfIndex(d.index()) : effect.table();
    }

    private static boolean needsNoTransaction(Effect effect) {
        return effect instanceof Effect.CreateIndex c && c.concurrently()
                || effect instanceof Effect.DropIndex d && d.concurrently()
                || effect instanceof Effect.Harmless h && h.outsideTransaction()
                || effect instanceof Effect.Blocking b && b.outsideTransaction();
    }

    /** A unique index is not additive: it restricts what may be written, which is contract's business. */
    private static boolean isAdditive(Effect e) {
        return e instanceof Effect.CreateTable || e instanceof Effect.AddColumn
                || e instanceof Effect.CreateIndex c && !c.unique() || e instanceof Effect.Additive;
    }

    private static String describeFor(Rule rule, Effect effect, SchemaKnowledge known) {
        if (rule == Rule.COLUMN_TYPE && effect instanceof Effect.ChangeType c) {
            String old = known.columnType(c.table(), c.column());
            return "column " + c.table() + "." + c.column() + (old == null
                    ? " to " + c.newType() + " (" + known.unknownType(c.table(), c.column()) + ")"
                    : " from " + old + " to " + c.newType());
        }
        return EffectText.describe(effect);
    }
}
