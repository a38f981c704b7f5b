package dev.botshift.schema;

import java.util.List;

/**
 * What one {@link SchemaMigrator#apply} did.
 *
 * @param applied     ids of the changesets run now (empty when all were applied before)
 * @param lockRetries how many times a DDL statement hit {@code lock_timeout} and was retried
 */
public record ApplyResult(List<String> applied, int lockRetries) {
}
