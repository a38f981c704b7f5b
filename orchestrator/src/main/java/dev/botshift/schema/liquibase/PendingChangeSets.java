package dev.botshift.schema.liquibase;

import dev.botshift.schema.ChangelogSource;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.schema.lightlock.ChangeSetPlanner;
import dev.botshift.schema.lightlock.Step;
import dev.botshift.schema.lint.ChangelogLinter;
import dev.botshift.schema.lint.ChangelogReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;

/**
 * The changesets of a phase that have not run yet, in changelog order, each with its lock-light steps when it has a
 * lock-light form. Read-only: DATABASECHANGELOG is read when it exists, never created.
 *
 * @param changeSets pending changesets carrying the phase's label
 * @param plans      per pending changeset, its lock-light steps or empty (Liquibase runs it as written)
 * @param rerunnable whether a changeset of the phase is {@code runAlways} or {@code runOnChange}, run or not
 */
record PendingChangeSets(List<ChangeSet> changeSets, List<Optional<List<Step>>> plans, boolean rerunnable) {

    /** Must run inside {@code LiquibaseEnvironment.run}: the changelog is read as the linter reads it. */
    static PendingChangeSets of(ChangelogSource source, SchemaPhase phase, Database database, Connection c)
            throws Exception {
        Set<String> ran = ran(c);
        List<ChangeSet> ofPhase = ChangelogReader.inScope(source, database).getChangeSets().stream()
                .filter(cs -> cs.getLabels() != null && cs.getLabels().getLabels().contains(phase.label()))
                .toList();
        List<ChangeSet> pending = ofPhase.stream()
                .filter(cs -> !ran.contains(ChangelogLinter.key(cs.getId(), cs.getAuthor(), cs.getFilePath())))
                .toList();
        boolean rerunnable = ofPhase.stream().anyMatch(cs -> cs.isAlwaysRun() || cs.isRunOnChange());
        return new PendingChangeSets(pending, pending.stream().map(cs -> ChangeSetPlanner.plan(cs, database)).toList(),
                rerunnable);
    }

    /**
     * Whether a Liquibase update would run nothing: no changeset of the phase is pending and none may run again
     * ({@code runAlways}, {@code runOnChange}: they are recorded as run, yet Liquibase decides about them itself).
     */
    boolean nothingToRun() {
        return changeSets.isEmpty() && !rerunnable;
    }

    /** Index of the first pending changeset with a lock-light form, or -1. */
    int firstLockLight() {
        for (int i = 0; i < plans.size(); i++) {
            if (plans.get(i).isPresent()) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The tables the first {@code count} changesets lock in a mode that queues the application (see
     * {@link LockTargets}), from their SQL as Liquibase renders it; changesets whose SQL is not fixed add nothing.
     */
    List<LockTargets.Need> lockNeeds(int count, Database database) {
        List<LockTargets.Need> needs = new ArrayList<>();
        for (ChangeSet cs : changeSets.subList(0, count)) {
            for (Change change : cs.getChanges()) {
                statements(change, cs, database).forEach(sql -> needs.addAll(LockTargets.of(sql)));
            }
        }
        return needs.stream().distinct().toList();
    }

    private static List<String> statements(Change change, ChangeSet cs, Database database) {
        try {
            List<String> statements = ChangeSetPlanner.statements(change, cs, database);
            return statements == null ? List.of() : statements;
        } catch (RuntimeException e) {
            return List.of(); // the update itself reports a change Liquibase cannot render
        }
    }

    /** The changesets DATABASECHANGELOG records as run, as {@link ChangelogLinter#key} keys; empty when it has none. */
    static Set<String> ran(Connection c) throws SQLException {
        Set<String> keys = new HashSet<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('databasechangelog') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return keys;
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT id, author, filename FROM databasechangelog")) {
                while (rs.next()) {
                    keys.add(ChangelogLinter.key(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return keys;
    }
}
