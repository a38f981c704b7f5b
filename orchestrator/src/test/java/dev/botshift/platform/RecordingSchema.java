package dev.botshift.platform;

import dev.botshift.schema.ApplyResult;
import dev.botshift.schema.LintReport;
import dev.botshift.schema.SchemaMigrator;
import dev.botshift.schema.SchemaPhase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The schema port as a recorder: these tests prove the cluster side; the database has its own tests. */
final class RecordingSchema implements SchemaMigrator {
    final List<SchemaPhase> applied = new CopyOnWriteArrayList<>();

    @Override
    public LintReport lint() {
        return new LintReport("recorded", List.of());
    }

    @Override
    public String previewSql(SchemaPhase phase) {
        return "-- " + phase.label();
    }

    @Override
    public ApplyResult apply(SchemaPhase phase) {
        applied.add(phase);
        return new ApplyResult(List.of(phase.label() + "-changeset"), 0);
    }
}
