package dev.botshift.schema.liquibase;

import dev.botshift.schema.SchemaPhase;
import java.util.List;
import java.util.function.Consumer;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.database.Database;

/** Records which changesets ran and reports each one as a progress line. */
final class ProgressListener extends AbstractChangeExecListener {
    private final SchemaPhase phase;
    private final List<String> applied;
    private final Consumer<String> progress;

    ProgressListener(SchemaPhase phase, List<String> applied, Consumer<String> progress) {
        this.phase = phase;
        this.applied = applied;
        this.progress = progress;
    }

    @Override
    public void ran(ChangeSet changeSet, DatabaseChangeLog changeLog, Database database, ChangeSet.ExecType execType) {
        if (execType == ChangeSet.ExecType.EXECUTED || execType == ChangeSet.ExecType.RERAN) {
            applied.add(changeSet.getId());
            progress.accept(phase.label() + ": applied " + changeSet.getFilePath() + "::" + changeSet.getId());
        }
    }
}
