package dev.botshift.plan;

/**
 * The database user the bots connect as ({@code database.app}): not the migration user, whose credentials reach
 * Liquibase only. A bot needs rows, not DDL; the suggested {@code GRANT pg_read_all_stats} and the schema owner's
 * rights belong to the migration user.
 *
 * @param username    the bots' user (may be {@code ${env:...}})
 * @param passwordEnv the <em>name</em> of the environment variable holding that user's password, or null when the
 *                    user needs none (peer or certificate authentication); the value reaches the bots as
 *                    {@code DB_PASSWORD} and is never in the plan, printed or stored
 */
public record AppUserSpec(String username, String passwordEnv) {
}
