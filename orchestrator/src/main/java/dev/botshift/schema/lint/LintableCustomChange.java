package dev.botshift.schema.lint;

import liquibase.Scope;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.custom.CustomChangeWrapper;
import liquibase.database.Database;
import liquibase.exception.CustomChangeException;
import liquibase.exception.UnexpectedLiquibaseException;
import liquibase.parser.core.ParsedNode;
import liquibase.parser.core.ParsedNodeException;
import liquibase.resource.ResourceAccessor;

/**
 * Liquibase's {@code customChange}, except that while the linter reads a changelog a class that is not on the
 * classpath leaves this one change unreadable instead of the whole changelog: the linter reports that changeset and
 * lints the others. Everywhere else (the engine) it behaves exactly as Liquibase's, so a missing class still fails
 * a run before anything is applied. Registered through Liquibase's service loader with a priority above the
 * original's; the change keeps its name, so checksums are Liquibase's.
 */
@DatabaseChange(name = "customChange", description = "A custom change class (see Liquibase's customChange).",
        priority = ChangeMetaData.PRIORITY_DEFAULT + 1)
public final class LintableCustomChange extends CustomChangeWrapper {
    private boolean classMissing;

    @Override
    public CustomChangeWrapper setClass(String className) throws CustomChangeException {
        try {
            return super.setClass(className);
        } catch (CustomChangeException e) {
            if (!Boolean.TRUE.equals(Scope.getCurrentScope().get(ChangelogReader.TOLERATE_MISSING_CLASSES, Boolean.class))
                    || !isMissingClass(e)) {
                throw e;
            }
            classMissing = true; // super kept the class name
            return this;
        }
    }

    /** Liquibase loads the class a second time here, to read parameters given as child elements. */
    @Override
    public void customLoadLogic(ParsedNode parsedNode, ResourceAccessor resourceAccessor) throws ParsedNodeException {
        try {
            super.customLoadLogic(parsedNode, resourceAccessor);
        } catch (UnexpectedLiquibaseException e) {
            if (!classMissing || !isMissingClass(e)) {
                throw e;
            }
        }
    }

    @Override
    public boolean supports(Database database) {
        return super.supports(database);
    }

    /** True when the class could not be loaded while the linter read the changelog. */
    boolean classMissing() {
        return classMissing;
    }

    private static boolean isMissingClass(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof ClassNotFoundException || t instanceof NoClassDefFoundError) {
                return true;
            }
        }
        return false;
    }
}
