package dev.botshift.schema;

import dev.botshift.core.BotshiftException;
import dev.botshift.core.ExitCode;

/**
 * A changeset failed on the database for a reason other than a lock timeout. PostgreSQL rolled the changeset back
 * (DDL is transactional), so the changesets before it stay applied and the failing one is not.
 */
public class ChangesetFailedException extends BotshiftException {
    public ChangesetFailedException(String message, Throwable cause) {
        super(ExitCode.INTERNAL, message, cause);
    }
}
