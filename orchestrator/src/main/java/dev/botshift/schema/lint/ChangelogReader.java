package dev.botshift.schema.lint;

import dev.botshift.core.InvalidInputException;
import dev.botshift.schema.ChangelogSource;
import java.util.List;
import java.util.Map;
import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ResourceAccessor;

/**
 * Reads a changelog with Liquibase's own parser the one way the linter, {@code botshift plan} and the schema engine
 * share: the source's parameters (over the changelog's own {@code property} definitions, with PostgreSQL as the
 * database that {@code dbms}-specific properties are picked for), then the phases file's labels. Any failure is one
 * line naming the changelog and the cause ({@link ReadFailure}).
 */
public final class ChangelogReader {
    /** Scope key: a {@code customChange} whose class is missing is read as such instead of failing the whole file. */
    static final String TOLERATE_MISSING_CLASSES = "botshift.tolerateMissingCustomChangeClasses";

    /** What was read, and the phases file's patterns that matched no changeset. */
    public record Read(DatabaseChangeLog changelog, List<String> unusedPhasePatterns) {
    }

    private ChangelogReader() {
    }

    /** For the linter: offline, and a missing {@code customChange} class leaves only its changeset unclassified. */
    public static Read forLint(ChangelogSource source) {
        return forLint(source, read -> read);
    }

    /**
     * Reads as {@link #forLint(ChangelogSource)} and runs {@code body} while the changelog's files can still be read
     * ({@code sqlFile} changes read theirs only when asked for their SQL).
     */
    public static <T> T forLint(ChangelogSource source, java.util.function.Function<Read, T> body) {
        try {
            return LiquibaseEnvironment.run(source, Map.of(TOLERATE_MISSING_CLASSES, true),
                    () -> body.apply(parse(source, new PostgresDatabase())));
        } catch (RuntimeException e) {
            throw e; // InvalidInputException from parse() or body, or a bug: not "cannot be read"
        } catch (Exception | StackOverflowError e) {
            throw new InvalidInputException(ReadFailure.explain(source, e), null);
        }
    }

    /**
     * Must run inside {@link LiquibaseEnvironment#run}: for the engine, whose database decides the
     * {@code database.*} parameters; a missing {@code customChange} class fails the read.
     */
    public static DatabaseChangeLog inScope(ChangelogSource source, Database database) throws Exception {
        return parse(source, database).changelog();
    }

    private static Read parse(ChangelogSource source, Database database) throws Exception {
        PhasesFile phases = source.phases() == null ? PhasesFile.NONE : PhasesFile.load(source.phases());
        ResourceAccessor accessor = Scope.getCurrentScope().getResourceAccessor();
        String name = LiquibaseEnvironment.logicalName(source.root());
        ChangeLogParameters parameters = ChangelogParameters.withoutEnvironment(database);
        source.parameters().forEach(parameters::set);
        DatabaseChangeLog changelog;
        try {
            changelog = ChangeLogParserFactory.getInstance().getParser(name, accessor).parse(name, parameters, accessor);
        } catch (Exception | StackOverflowError e) {
            throw new InvalidInputException(ReadFailure.explain(source, e), null);
        }
        return new Read(changelog, phases.label(changelog.getChangeSets()));
    }
}
