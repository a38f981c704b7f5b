package dev.botshift.schema;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** What the contract rehearsal found: a closed set, stored in the audit trail. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "result")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RehearsalResult.Passed.class, name = "passed"),
        @JsonSubTypes.Type(value = RehearsalResult.Refused.class, name = "refused"),
        @JsonSubTypes.Type(value = RehearsalResult.Skipped.class, name = "skipped")
})
public sealed interface RehearsalResult {

    /** One line for status, logs and notifications. */
    String describe();

    /**
     * Every recorded statement that could be prepared before the contract still prepares after it.
     *
     * @param prepared       statements prepared against the contracted schema
     * @param unpreparable   recorded statements that did not prepare even before the contract (types that cannot be
     *                       inferred, statements PREPARE does not take): not evidence either way
     * @param skippedSteps   contract statements not run because they change no statement's validity (data changes,
     *                       constraints, NOT NULL, indexes, type changes; see the docs), left out
     * @param windowSeconds  how long the recording ran
     */
    record Passed(int prepared, int unpreparable, int skippedSteps, long windowSeconds) implements RehearsalResult {
        public String describe() {
            return "contract rehearsal passed: " + prepared + " statement(s) green ran in the last " + windowSeconds
                    + "s prepare against the contracted schema"
                    + (unpreparable > 0 ? " (" + unpreparable + " could not be prepared even before the contract)" : "")
                    + (skippedSteps > 0 ? "; " + skippedSteps + " contract statement(s) that change no statement's validity"
                    + " (data, constraints, indexes) not run" : "");
        }
    }

    /**
     * At least one recorded statement breaks on the contracted schema: the contract must not run.
     *
     * @param broken the statements that broke, each with PostgreSQL's error (the first few)
     */
    record Refused(List<Broken> broken, int prepared) implements RehearsalResult {
        public Refused {
            broken = List.copyOf(broken);
        }

        public String describe() {
            Broken first = broken.get(0);
            return "contract refused by the rehearsal: green runs `" + first.statement() + "`, which fails on the "
                    + "contracted schema: " + first.error()
                    + (broken.size() > 1 ? " (and " + (broken.size() - 1) + " more statement(s))" : "");
        }
    }

    /** @param error PostgreSQL's message, with its SQLSTATE */
    record Broken(String statement, String error) {
    }

    /** The rehearsal could not run here (no pg_stat_statements, nothing recorded): the contract runs unrehearsed. */
    record Skipped(String reason) implements RehearsalResult {
        public String describe() {
            return "contract rehearsal skipped: " + reason;
        }
    }
}
