package dev.botshift.schema.liquibase;

import dev.botshift.schema.lightlock.ChangeSetPlanner;
import dev.botshift.schema.lightlock.Step;
import java.util.List;
import java.util.Optional;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;

/** Renders the pending changesets of a phase as the statements that will really run. */
final class PreviewText {
    private PreviewText() {
    }

    static String render(PendingChangeSets pending, Database db) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pending.changeSets().size(); i++) {
            ChangeSet cs = pending.changeSets().get(i);
            Optional<List<Step>> plan = pending.plans().get(i);
            out.append("-- changeset ").append(cs.getFilePath()).append("::").append(cs.getId()).append("::")
                    .append(cs.getAuthor());
            if (plan.isPresent()) {
                out.append(" [lock-light: outside a transaction, each statement with lock_timeout and retry]\n");
                plan.get().forEach(step -> out.append(step.display()).append('\n'));
            } else {
                out.append(cs.isRunInTransaction() ? " [one transaction]\n" : " [no transaction]\n");
                for (Change change : cs.getChanges()) {
                    List<String> sql = ChangeSetPlanner.statements(change, cs, db);
                    if (sql == null) {
                        out.append("-- ").append(change.getDescription()).append(" (run by Liquibase)\n");
                    } else {
                        sql.forEach(s -> out.append(s.endsWith(";") ? s : s + ";").append('\n'));
                    }
                }
            }
            out.append('\n');
        }
        return out.isEmpty() ? "-- nothing to run\n" : out.toString();
    }
}
