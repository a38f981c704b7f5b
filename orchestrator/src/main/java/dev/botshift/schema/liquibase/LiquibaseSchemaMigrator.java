package dev.botshift.schema.liquibase;

import dev.botshift.core.BotshiftException;
import dev.botshift.plan.DatabaseSpec;
import dev.botshift.plan.PlanDefaults;
import dev.botshift.schema.ApplyResult;
import dev.botshift.schema.ChangelogRefusedException;
import dev.botshift.schema.ChangelogSource;
import dev.botshift.schema.ChangesetFailedException;
import dev.botshift.schema.LintReport;
import dev.botshift.schema.SchemaMigrator;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.schema.lightlock.EngineRunForms;
import dev.botshift.schema.lint.ChangeClassifier;
import dev.botshift.schema.lint.ChangelogFingerprint;
import dev.botshift.schema.lint.ChangelogLinter;
import dev.botshift.schema.lint.ChangelogReader;
import dev.botshift.schema.lint.Effect;
import dev.botshift.schema.lint.LintReportText;
import dev.botshift.schema.lint.LiquibaseEnvironment;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.UpdateCountCommandStep;
import liquibase.changelog.ChangeSet;
import liquibase.command.core.UpdateSqlCommandStep;
import liquibase.command.core.helpers.ChangeExecListenerCommandStep;
import liquibase.command.core.helpers.DatabaseChangelogCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;

/**
 * {@link SchemaMigrator} on Liquibase 4.33 and PostgreSQL. Each phase runs only the changesets carrying its label
 * ({@code @expand} / {@code @contract}: a changeset without the label never matches). Every session has
 * {@code lock_timeout} set; an update that fails on SQLSTATE 55P03 is run again (applied changesets are skipped, the
 * failed one was rolled back) with jittered exponential backoff until {@code ddlDeadline}. See docs/schema-engine.md.
 */
public final class LiquibaseSchemaMigrator implements SchemaMigrator {
    private final JdbcTarget target;
    private final ChangelogSource source;
    private final Consumer<String> progress;
    private final Duration ddlDeadline;
    private final PoliteLockWait politeWait;
    /** Records while green serves alone and rehearses the contract; lives as long as this migrator (one run). */
    private final PgContractRehearsal rehearsal;
    private final PgExpandRehearsal expandRehearsal;
    /**
     * The changelog is linted once per run (by the preflight, or by the first apply), and again by an apply that finds
     * it edited since ({@link ChangelogFingerprint}).
     */
    private LintReport linted;
    /** What the changelog said when it was {@link #linted}. */
    private String lintedFingerprint;

    public LiquibaseSchemaMigrator(DatabaseSpec spec, ChangelogSource source, Consumer<String> progress) {
        this(spec, source, progress, PoliteLockWait.DEFAULT_THRESHOLD);
    }

    /** A changelog read from its own folder only (no search path, classpath, parameters or phases file). */
    public LiquibaseSchemaMigrator(DatabaseSpec spec, Path rootChangelog, Consumer<String> progress) {
        this(spec, ChangelogSource.of(rootChangelog), progress);
    }

    /** {@code politeThreshold}: how long a transaction must have been open before the DDL waits for it unqueued. */
    LiquibaseSchemaMigrator(DatabaseSpec spec, ChangelogSource source, Consumer<String> progress,
                            Duration politeThreshold) {
        this.target = new JdbcTarget(spec);
        this.source = source;
        this.progress = progress;
        this.ddlDeadline = spec.ddlDeadline() == null ? PlanDefaults.DDL_DEADLINE : spec.ddlDeadline();
        this.politeWait = new PoliteLockWait(progress, politeThreshold);
        this.rehearsal = new PgContractRehearsal(target, source, java.time.Clock.systemUTC());
        this.expandRehearsal = new PgExpandRehearsal(target, source);
    }

    @Override
    public dev.botshift.schema.ContractRehearsal rehearsal() {
        return rehearsal;
    }

    @Override
    public dev.botshift.schema.ExpandRehearsal expandRehearsal() {
        return expandRehearsal;
    }

    /**
     * Opens and closes one session: a deploy's preflight, so an unreachable database or a wrong password is
     * refused before any state is written or any process started.
     *
     * @throws dev.botshift.core.UnreachableException naming {@code host:port/db}, never the URL or the password
     */
    public void checkReachable() {
        JdbcTarget.closeQuietly(target.open());
    }

    @Override
    public synchronized LintReport lint() {
        if (linted == null) {
            lintedFingerprint = ChangelogFingerprint.of(source);
            linted = lintAgainstHistory();
        }
        return linted;
    }

    /** The lint of the changelog as it is now: the one of this run, unless the changelog was edited since. */
    private synchronized LintReport lintAsItIsNow() {
        if (linted != null && !ChangelogFingerprint.of(source).equals(lintedFingerprint)) {
            progress.accept("schema: " + source + " changed since it was linted: linting it again");
            linted = null;
        }
        return lint();
    }

    /** Without the database: every changeset judged, as {@code botshift lint} and {@code plan --no-sql} do. */
    public LintReport lintOffline() {
        return new ChangelogLinter(new EngineRunForms()).lint(source);
    }

    /**
     * Lints knowing what the database has already run (DATABASECHANGELOG, read only): applied changesets are not
     * judged again, and the tables they created are live even to later changesets of their file. Offline when the
     * database cannot be reached (the reachability check reports that).
     */
    private LintReport lintAgainstHistory() {
        Connection c;
        try {
            c = target.open();
        } catch (dev.botshift.core.UnreachableException e) {
            return lintOffline();
        }
        try {
            return new ChangelogLinter(new EngineRunForms()).lint(source, PendingChangeSets.ran(c));
        } catch (java.sql.SQLException e) {
            return lintOffline(); // no permission to read the history: judge every changeset, as offline
        } finally {
            JdbcTarget.closeQuietly(c);
        }
    }

    /**
     * The statements {@link #apply} will run, changeset by changeset: lock-light forms as Botshift executes them,
     * other changesets as Liquibase renders them. Reads DATABASECHANGELOG (when it exists) and changes nothing.
     */
    @Override
    public List<String> appUserWarnings(String appUser) {
        Connection c;
        try {
            c = target.open();
        } catch (dev.botshift.core.UnreachableException e) {
            return List.of(); // the reachability check says so
        }
        try {
            Database db = database(c);
            boolean createsTables = LiquibaseEnvironment.run(source, Map.of(), () -> {
                List<liquibase.changelog.ChangeSet> pending = new ArrayList<>();
                for (SchemaPhase phase : SchemaPhase.values()) {
                    pending.addAll(PendingChangeSets.of(source, phase, db, c).changeSets());
                }
                // the linter's reading of each change (its SQL parsed, an sqlFile's read), not a second guess at it
                return pending.stream().anyMatch(cs -> cs.getChanges().stream().anyMatch(change ->
                        ChangeClassifier.classify(change, cs).stream()
                                .anyMatch(effect -> effect instanceof Effect.CreateTable)));
            });
            return AppUserAccess.problems(c, appUser, createsTables);
        } catch (Exception e) {
            // a warning, not a refusal: the rollout shows what fails
            return List.of("could not check what database.app " + appUser + " may use: " + FailureText.cause(e));
        } finally {
            JdbcTarget.closeQuietly(c);
        }
    }

    @Override
    public String previewSql(SchemaPhase phase) {
        Connection c = target.open();
        try {
            Database db = database(c);
            return LiquibaseEnvironment.run(source, Map.of(), () ->
                    PreviewText.render(PendingChangeSets.of(source, phase, db, c), db));
        } catch (BotshiftException e) {
            throw e;
        } catch (Exception e) {
            throw new ChangesetFailedException("SQL preview of " + source + " failed: " + FailureText.cause(e), e);
        } finally {
            JdbcTarget.closeQuietly(c);
        }
    }

    @Override
    public ApplyResult apply(SchemaPhase phase) {
        LintReport report = lintAsItIsNow();
        if (report.refused()) {
            throw new ChangelogRefusedException(report, LintReportText.formatRefusing(report));
        }
        Instant deadline = Instant.now().plus(ddlDeadline);
        List<String> applied = new ArrayList<>();
        int retries = 0;
        // Lock-light changesets run statement by statement under Botshift's control; the plain ones between them run
        // through Liquibase (update-count), so the changelog's order holds. See docs/schema-engine.md.
        while (true) {
            Round round = lockLightRound(phase, applied, deadline);
            retries += round.lockRetries();
            if (round.nothingToRun()) {
                // a whole Liquibase update that runs nothing still costs seconds (its lock, its history reads)
                return new ApplyResult(List.copyOf(applied), retries);
            }
            if (round.plainCount() == 0) {
                continue; // a lock-light changeset ran; look again
            }
            retries = plainWithRetry(phase, applied, deadline, round.plainCount() < 0 ? null : round.plainCount(),
                    round.plainNeeds(), retries);
            if (round.plainCount() < 0) {
                return new ApplyResult(List.copyOf(applied), retries);
            }
        }
    }

    /**
     * Runs the next pending changeset if it has a lock-light form ({@code plainCount} 0); otherwise runs nothing and
     * says how many plain changesets come before the next lock-light one ({@code plainCount} -1: none left).
     */
    private Round lockLightRound(SchemaPhase phase, List<String> applied, Instant deadline) {
        Connection c = target.open();
        try {
            Database db = database(c);
            return LiquibaseEnvironment.run(source, Map.of(), () -> {
                PendingChangeSets pending = PendingChangeSets.of(source, phase, db, c);
                if (pending.nothingToRun()) {
                    return new Round(-1, 0, List.of(), true);
                }
                int first = pending.firstLockLight();
                if (first != 0) {
                    return new Round(first, 0, pending.lockNeeds(first < 0 ? pending.changeSets().size() : first, db),
                            false);
                }
                ChangeSet cs = pending.changeSets().get(0);
                int retries = new LockLightRunner(target, progress, politeWait)
                        .run(phase, cs, pending.plans().get(0).orElseThrow(), db, c, deadline);
                applied.add(cs.getId());
                return new Round(0, retries, List.of(), false);
            });
        } catch (BotshiftException e) {
            throw e;
        } catch (Exception e) {
            throw new ChangesetFailedException(phase.label() + " of " + source + " on " + target.displayName()
                    + " failed: " + FailureText.cause(e), e);
        } finally {
            JdbcTarget.closeQuietly(c);
        }
    }

    /**
     * {@code plainNeeds}: the tables the plain changesets about to run lock (see {@link PoliteLockWait});
     * {@code nothingToRun}: the phase is done, no Liquibase update needed.
     */
    private record Round(int plainCount, int lockRetries, List<LockTargets.Need> plainNeeds, boolean nothingToRun) {
    }

    /**
     * Liquibase update (all pending changesets of the phase, or the next {@code count}), retried on lock_timeout;
     * before each attempt, waits unqueued while a long transaction holds a table any of them locks.
     */
    private int plainWithRetry(SchemaPhase phase, List<String> applied, Instant deadline, Integer count,
                               List<LockTargets.Need> needs, int retries) {
        LockRetry.Loop loop = new LockRetry.Loop(phase.label(), "DDL", null, target, deadline, progress);
        return LockRetry.untilDeadline(loop, retries, () -> awaitPolitely(phase, needs, deadline),
                () -> runUpdate(phase, applied, count), e -> (RuntimeException) e);
    }

    private void awaitPolitely(SchemaPhase phase, List<LockTargets.Need> needs, Instant deadline) {
        if (needs.isEmpty()) {
            return;
        }
        Connection c = target.open();
        try {
            politeWait.await(c, needs, deadline, phase.label() + " (" + source.root().getFileName() + ")");
        } finally {
            JdbcTarget.closeQuietly(c);
        }
    }

    /** One Liquibase update on a fresh session; the session (and the advisory lock) ends with it. */
    private void runUpdate(SchemaPhase phase, List<String> applied, Integer count) {
        Connection c = target.open();
        try {
            Database db = database(c);
            LiquibaseEnvironment.run(source, Map.of(), () -> {
                CommandScope cmd = new CommandScope(count == null ? UpdateCommandStep.COMMAND_NAME
                        : UpdateCountCommandStep.COMMAND_NAME);
                cmd.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, db);
                cmd.addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, LiquibaseEnvironment.logicalName(source.root()));
                // read the one way the linter read it: parameters, search path, the phases file's labels
                cmd.addArgumentValue(DatabaseChangelogCommandStep.CHANGELOG_ARG, ChangelogReader.inScope(source, db));
                cmd.addArgumentValue(UpdateCommandStep.LABEL_FILTER_ARG, labelFilter(phase));
                if (count != null) {
                    cmd.addArgumentValue(UpdateCountCommandStep.COUNT_ARG, count);
                }
                cmd.addArgumentValue(ChangeExecListenerCommandStep.CHANGE_EXEC_LISTENER_ARG,
                        new ProgressListener(phase, applied, progress));
                cmd.addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG);
                return cmd.execute();
            });
        } catch (BotshiftException e) {
            throw e;
        } catch (Exception e) {
            if (LockRetry.isLockTimeout(e)) {
                throw new LockTimeoutFailure(e); // LockRetry tries again
            }
            throw new ChangesetFailedException(phase.label() + " of " + source + " on " + target.displayName()
                    + " failed" + failedChangeSet(e) + " (that changeset was rolled back): " + FailureText.cause(e), e);
        } finally {
            JdbcTarget.closeQuietly(c);
        }
    }

    private Database database(Connection c) {
        try {
            return DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
        } catch (liquibase.exception.DatabaseException e) {
            JdbcTarget.closeQuietly(c);
            throw new ChangesetFailedException("Liquibase cannot use " + target.displayName() + ": " + e.getMessage(), e);
        }
    }

    static String labelFilter(SchemaPhase phase) {
        return "@" + phase.label();
    }

    /** " at changeset file::id::author" from Liquibase's MigrationFailedException, when there is one. */
    private static String failedChangeSet(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof liquibase.exception.MigrationFailedException m) {
                String first = m.getMessage().lines().findFirst().orElse("");
                int at = first.indexOf("changeset ");
                String where = at < 0 ? "" : first.substring(at);
                return where.isEmpty() ? "" : " at " + (where.endsWith(":") ? where.substring(0, where.length() - 1) : where);
            }
        }
        return "";
    }

    /** Internal signal: this attempt failed on lock_timeout and may be retried. */
    private static final class LockTimeoutFailure extends RuntimeException {
        LockTimeoutFailure(Throwable cause) {
            super(cause);
        }
    }
}
