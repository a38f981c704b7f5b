package dev.botshift.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.BotshiftException;
import dev.botshift.core.ExitCode;
import dev.botshift.plan.DatabaseSpec;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.schema.liquibase.LiquibaseSchemaMigrator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A server that refuses the password is reachable: the message says which password to check, not the network. */
class WrongPasswordTest {
    @Test
    void aRefusedPasswordNamesTheUserAndTheFieldNeverReachability() throws Exception {
        try (FakePostgres server = new FakePostgres("28P01", "password authentication failed for user \"migrator\"")) {
            DatabaseSpec spec = new DatabaseSpec("jdbc:postgresql://127.0.0.1:" + server.port() + "/botdb", "migrator",
                    "s3cret-pw", "unused", null, null);
            LiquibaseSchemaMigrator m = new LiquibaseSchemaMigrator(spec, Path.of(System.getProperty("botshift.repo", ".."))
                    .resolve("examples/sentiment-bot/db/changelog-v2.yaml"), l -> { });

            assertThatThrownBy(() -> m.apply(SchemaPhase.EXPAND))
                    .isInstanceOf(BotshiftException.class)
                    .hasMessageContaining("password authentication failed for user migrator")
                    .hasMessageContaining("check database.password")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("cannot be reached").doesNotContain("s3cret-pw"))
                    .satisfies(e -> assertThat(((BotshiftException) e).exitCode()).isEqualTo(ExitCode.INVALID_INPUT));
        }
    }
}
