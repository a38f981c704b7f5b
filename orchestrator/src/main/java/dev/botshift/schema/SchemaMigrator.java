package dev.botshift.schema;

/**
 * The schema seam: lint, preview and apply one phase of a release's changelog.
 * {@link #apply} always lints first and refuses (changing nothing) on a refused finding.
 */
public interface SchemaMigrator {

    /**
     * The run's lint: against what the database has already applied when it can read that, offline otherwise; done
     * once per migrator (a deploy's preflight lints, the applies that follow use the same report).
     */
    LintReport lint();

    /** The SQL {@link #apply} would run for {@code phase}, without changing anything. */
    String previewSql(SchemaPhase phase);

    /** Applies the pending changesets of {@code phase}; idempotent (applied ones are skipped). */
    ApplyResult apply(SchemaPhase phase);

    /**
     * What would keep the bots' own database user ({@code database.app}) from the app's tables: warnings for a
     * deploy's preflight, none where the database cannot be read.
     */
    default java.util.List<String> appUserWarnings(String appUser) {
        return java.util.List.of();
    }

    /** The contract rehearsal on this migrator's database; {@link ContractRehearsal#NONE} where there is none. */
    default ContractRehearsal rehearsal() {
        return ContractRehearsal.NONE;
    }

    /** The expand rehearsal on this migrator's database; {@link ExpandRehearsal#NONE} where there is none. */
    default ExpandRehearsal expandRehearsal() {
        return ExpandRehearsal.NONE;
    }
}
