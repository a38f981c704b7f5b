package dev.botshift.schema;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Locale;

/**
 * What a rehearsal found: a closed set, stored in the audit trail. The same records serve both rehearsals (the
 * contract's, against what green ran, and the expand's, against what blue ran); the event that carries a result says
 * which one it was, and {@link #describe(Of)} words it (the JSON holds no such field, so older records still decode).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "result")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RehearsalResult.Passed.class, name = "passed"),
        @JsonSubTypes.Type(value = RehearsalResult.Refused.class, name = "refused"),
        @JsonSubTypes.Type(value = RehearsalResult.Skipped.class, name = "skipped")
})
public sealed interface RehearsalResult {

    /** One line for status, logs and notifications: the contract rehearsal's words. */
    default String describe() {
        return describe(Of.CONTRACT);
    }

    /** One line for status, logs and notifications, in the words of {@code of}. */
    String describe(Of of);

    /** Which rehearsal, and so whose statements against which schema. */
    enum Of {
        /** Before the point of no return: what green ran, against the contracted schema. */
        CONTRACT("green", "contracted"),
        /** Before the expand: what blue ran, against the expanded schema. */
        EXPAND("blue", "expanded");

        private final String runner;
        private final String schema;

        Of(String runner, String schema) {
            this.runner = runner;
            this.schema = schema;
        }

        /** {@code contract} or {@code expand}. */
        public String phase() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whose statements: {@code green} or {@code blue}. */
        public String runner() {
            return runner;
        }
    }

    /**
     * Every recorded statement that could be prepared before the changes still prepares after them.
     *
     * @param prepared       statements prepared against the changed schema
     * @param unpreparable   recorded statements that did not prepare even before the changes (types that cannot be
     *                       inferred, statements PREPARE does not take): not evidence either way
     * @param skippedSteps   statements of the phase not run because they change no statement's validity (data changes,
     *                       constraints, NOT NULL, indexes, type changes; see the docs), left out
     * @param windowSeconds  how long the recording ran (contract); for the expand, how long pg_stat_statements has
     *                       been collecting (since its last reset), or -1 when the server does not say
     */
    record Passed(int prepared, int unpreparable, int skippedSteps, long windowSeconds) implements RehearsalResult {
        public String describe(Of of) {
            String when = windowSeconds < 0 ? " (pg_stat_statements' record)"
                    : of == Of.EXPAND ? " (pg_stat_statements' record of the last " + windowSeconds + "s)"
                    : " in the last " + windowSeconds + "s";
            return of.phase() + " rehearsal passed: " + prepared + " statement(s) " + of.runner + " ran" + when
                    + " prepare against the " + of.schema + " schema"
                    + (unpreparable > 0 ? " (" + unpreparable + " could not be prepared even before the " + of.phase()
                    + ")" : "")
                    + (skippedSteps > 0 ? "; " + skippedSteps + " " + of.phase() + " statement(s) that change no "
                    + "statement's validity (data, constraints, indexes) not run" : "");
        }
    }

    /**
     * At least one recorded statement breaks on the changed schema: the phase must not run.
     *
     * @param broken the statements that broke, each with PostgreSQL's error (the first few)
     */
    record Refused(List<Broken> broken, int prepared) implements RehearsalResult {
        public Refused {
            broken = List.copyOf(broken);
        }

        public String describe(Of of) {
            Broken first = broken.get(0);
            return of.phase() + " refused by the rehearsal: " + of.runner + " runs `" + first.statement()
                    + "`, which fails on the " + of.schema + " schema: " + first.error()
                    + (broken.size() > 1 ? " (and " + (broken.size() - 1) + " more statement(s))" : "");
        }
    }

    /** @param error PostgreSQL's message, with its SQLSTATE */
    record Broken(String statement, String error) {
    }

    /** The rehearsal could not run here (no pg_stat_statements, nothing recorded): the phase runs unrehearsed. */
    record Skipped(String reason) implements RehearsalResult {
        public String describe(Of of) {
            return of.phase() + " rehearsal skipped: " + reason;
        }
    }
}
