package dev.botshift.schema;

/**
 * The schema seam: lint, preview and apply one phase of a release's changelog.
 * {@link #apply} always lints first and refuses (changing nothing) on a refused finding.
 */
public interface SchemaMigrator {

    /** Offline: reads the changelog only; once per migrator (a run lints its changelog once). */
    LintReport lint();

    /** The SQL {@link #apply} would run for {@code phase}, without changing anything. */
    String previewSql(SchemaPhase phase);

    /** Applies the pending changesets of {@code phase}; idempotent (applied ones are skipped). */
    ApplyResult apply(SchemaPhase phase);
}
