package dev.botshift.schema.lint;

import java.util.List;
import java.util.Set;
import liquibase.changelog.ChangeSet;
import liquibase.database.DatabaseList;
import liquibase.precondition.Precondition;
import liquibase.precondition.core.AndPrecondition;
import liquibase.precondition.core.DBMSPrecondition;
import liquibase.precondition.core.NotPrecondition;
import liquibase.precondition.core.OrPrecondition;
import liquibase.precondition.core.PreconditionContainer;
import liquibase.precondition.core.PreconditionContainer.FailOption;

/**
 * Whether a changeset runs on PostgreSQL at all: its {@code dbms} attribute, {@code ignore}, and preconditions made
 * only of {@code dbms} checks (with and/or/not) are decided offline, as Liquibase decides them on PostgreSQL.
 * Preconditions that need the database (tableExists, sqlCheck...) cannot be decided: the changeset is linted.
 */
final class Applicability {
    private static final String POSTGRESQL = "postgresql";

    /** How the changeset's preconditions end on PostgreSQL. */
    enum Verdict { RUNS, SKIPPED, HALTS }

    private Applicability() {
    }

    /** Why the changeset does not run on PostgreSQL (said in the report), or null when it does (or may). */
    static String skipped(ChangeSet cs) {
        if (cs.isIgnore()) {
            return "ignore: true";
        }
        Set<String> dbms = cs.getDbmsSet();
        if (dbms != null && !dbms.isEmpty() && !DatabaseList.definitionMatches(dbms, POSTGRESQL, true)) {
            return "dbms: " + String.join(",", dbms);
        }
        if (preconditions(cs) == Verdict.SKIPPED) {
            return "its preconditions exclude PostgreSQL (onFail: " + cs.getPreconditions().getOnFail() + ")";
        }
        return null;
    }

    static Verdict preconditions(ChangeSet cs) {
        PreconditionContainer p = cs.getPreconditions();
        if (p == null || !Boolean.FALSE.equals(holds(p))) {
            return Verdict.RUNS;
        }
        FailOption onFail = p.getOnFail() == null ? FailOption.HALT : p.getOnFail();
        return switch (onFail) {
            case MARK_RAN, CONTINUE -> Verdict.SKIPPED;
            case HALT -> Verdict.HALTS;
            case WARN -> Verdict.RUNS; // Liquibase warns and runs it
        };
    }

    /** Whether the precondition holds on PostgreSQL; null when that needs the database. */
    private static Boolean holds(Precondition p) {
        if (p instanceof DBMSPrecondition d) {
            return DatabaseList.definitionMatches(d.getType(), POSTGRESQL, true);
        }
        if (p instanceof NotPrecondition n) {
            Boolean all = all(n.getNestedPreconditions());
            return all == null ? null : !all;
        }
        if (p instanceof OrPrecondition o) {
            boolean unknown = false;
            for (Precondition nested : o.getNestedPreconditions()) {
                Boolean h = holds(nested);
                if (Boolean.TRUE.equals(h)) {
                    return true;
                }
                unknown |= h == null;
            }
            return unknown ? null : false;
        }
        if (p instanceof AndPrecondition a) { // the container itself is one
            return all(a.getNestedPreconditions());
        }
        return null;
    }

    private static Boolean all(List<Precondition> preconditions) {
        boolean unknown = false;
        for (Precondition nested : preconditions) {
            Boolean h = holds(nested);
            if (Boolean.FALSE.equals(h)) {
                return false;
            }
            unknown |= h == null;
        }
        return unknown ? null : true;
    }
}
