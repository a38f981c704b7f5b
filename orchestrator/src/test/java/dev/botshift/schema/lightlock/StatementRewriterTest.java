package dev.botshift.schema.lightlock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each recognised risky statement becomes its lock-light steps; safe or unreproducible ones stay as written. */
class StatementRewriterTest {

    private static List<String> steps(String sql) {
        return StatementRewriter.rewrite(sql).orElseThrow().stream().map(Step::display).toList();
    }

    @Test
    void setNotNullGoesThroughANotValidCheck() {
        assertThat(steps("ALTER TABLE public.child ALTER COLUMN code SET NOT NULL;")).containsExactly(
                "ALTER TABLE public.child DROP CONSTRAINT IF EXISTS botshift_nn_code;",
                "ALTER TABLE public.child ADD CONSTRAINT botshift_nn_code CHECK (code IS NOT NULL) NOT VALID;",
                "ALTER TABLE public.child VALIDATE CONSTRAINT botshift_nn_code;",
                "ALTER TABLE public.child ALTER COLUMN code SET NOT NULL;",
                "ALTER TABLE public.child DROP CONSTRAINT IF EXISTS botshift_nn_code;");
    }

    @Test
    void foreignKeyAndCheckAreAddedNotValidThenValidated() {
        assertThat(steps("ALTER TABLE child ADD CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id)"))
                .containsExactly("ALTER TABLE child DROP CONSTRAINT IF EXISTS child_parent_fk;",
                        "ALTER TABLE child ADD CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id)"
                                + " NOT VALID;",
                        "ALTER TABLE child VALIDATE CONSTRAINT child_parent_fk;");
        assertThat(steps("ALTER TABLE child ADD CONSTRAINT child_id_positive CHECK (id > 0)"))
                .containsExactly("ALTER TABLE child DROP CONSTRAINT IF EXISTS child_id_positive;",
                        "ALTER TABLE child ADD CONSTRAINT child_id_positive CHECK (id > 0) NOT VALID;",
                        "ALTER TABLE child VALIDATE CONSTRAINT child_id_positive;");
    }

    @Test
    void uniqueConstraintIsBuiltAsAConcurrentIndexFirst() {
        assertThat(steps("ALTER TABLE public.child ADD CONSTRAINT child_code_uq UNIQUE (code, parent_id)")).containsExactly(
                "-- if a failed attempt left index public.child_code_uq INVALID: "
                        + "DROP INDEX CONCURRENTLY IF EXISTS public.child_code_uq;",
                "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS child_code_uq ON public.child (code, parent_id);",
                "ALTER TABLE public.child ADD CONSTRAINT child_code_uq UNIQUE USING INDEX child_code_uq;");
    }

    @Test
    void indexCreationAndRemovalRunConcurrently() {
        assertThat(steps("CREATE INDEX child_code_idx ON child USING btree (code)")).containsExactly(
                "-- if a failed attempt left index child_code_idx INVALID: "
                        + "DROP INDEX CONCURRENTLY IF EXISTS child_code_idx;",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS child_code_idx ON child USING btree ( code );");
        assertThat(steps("CREATE UNIQUE INDEX IF NOT EXISTS u ON child (code)")).last().asString()
                .isEqualTo("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS u ON child ( code );");
        assertThat(steps("DROP INDEX child_note_idx")).containsExactly(
                "DROP INDEX CONCURRENTLY IF EXISTS child_note_idx;");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ALTER TABLE child ADD COLUMN note2 TEXT",
            "CREATE INDEX CONCURRENTLY child_code_idx ON child (code)",
            "DROP INDEX CONCURRENTLY child_note_idx",
            "DROP INDEX child_note_idx CASCADE",
            "ALTER TABLE child ADD CONSTRAINT fk FOREIGN KEY (parent_id) REFERENCES parent (id) NOT VALID",
            "ALTER TABLE child ADD FOREIGN KEY (parent_id) REFERENCES parent (id)",
            "ALTER TABLE child ADD CONSTRAINT pk PRIMARY KEY (id)",
            "ALTER TABLE child ALTER COLUMN a SET NOT NULL, ALTER COLUMN b SET NOT NULL",
            "CREATE INDEX ON child (code)",
            "UPDATE child SET code = 'x' WHERE code IS NULL"})
    void statementsWithoutAFaithfulLockLightFormStayAsWritten(String sql) {
        assertThat(StatementRewriter.rewrite(sql)).isEmpty();
    }

    @Test
    void aStepIsShownWithItsPasswordLiteralsHidden() {
        assertThat(new Step.Run("ALTER ROLE bots PASSWORD 'hunter2'").display())
                .isEqualTo("ALTER ROLE bots PASSWORD '…';");
    }
}
