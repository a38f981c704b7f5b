package dev.botshift.schema.lint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Statements JSqlParser takes though PostgreSQL would refuse them are classified as the linter cannot read them, never
 * a crash: {@code ADD COLUMN d} without a type (found by fuzzing the sample changelog: a comment cut into a line left
 * "ALTER TABLE user_interactions ADD COLUMN d"), which ended {@code lint} and {@code deploy} with "unexpected internal
 * error" (exit 1) instead of a finding.
 */
class SqlClassifierTest {
    @Test
    void aColumnAddedWithoutATypeIsReadByItsWordsNotACrash() {
        // the parser's reading is left to the clause reader, which reads the column it adds (the rehearsal, run by
        // PostgreSQL, then refuses the statement)
        assertThat(SqlClassifier.classify("ALTER TABLE t ADD COLUMN d")).singleElement()
                .isInstanceOfSatisfying(Effect.AddColumn.class, a -> assertThat(a.column()).isEqualTo("d"));
        assertThat(SqlClassifier.classify("ALTER TABLE t ADD d, ADD COLUMN e int")).extracting(Object::toString)
                .hasSize(2).last().asString().contains("column=e", "type=int");
    }
}
