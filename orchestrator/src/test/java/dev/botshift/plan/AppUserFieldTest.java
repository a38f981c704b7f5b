package dev.botshift.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code database.app}: the bots' own user, its password named by variable (checked, never quoted). */
class AppUserFieldTest {
    static final String APP_SECRET = "app-S3cret-pw";

    @TempDir
    Path dir;

    Plan load(String app, Map<String, String> env) throws IOException {
        return EditedPlan.load(dir, "  changelog: changelog.yaml\n",
                "  changelog: changelog.yaml\n  app: " + app + "\n", env);
    }

    @Test
    void loadsTheUserAndTheVariableNameAndTheSupervisorIsHandedThatVariable() throws IOException {
        Plan plan = load("{username: notes_app, passwordEnv: APP_PW}", Map.of("APP_PW", APP_SECRET));

        assertThat(plan.database().app()).isEqualTo(new AppUserSpec("notes_app", "APP_PW"));
        assertThat(plan.database().toString()).doesNotContain(APP_SECRET);
        assertThat(PlanEnvironment.names(plan)).contains("APP_PW", "DB_PASSWORD");
        assertThat(load("{username: notes_app}", Map.of()).database().app().passwordEnv()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            no username           | "{passwordEnv: APP_PW}"                        | database.app.username    | required field
            the password itself   | "{username: a, passwordEnv: 'app-S3cret-pw'}"  | database.app.passwordEnv | name of an environment variable
            variable unset        | "{username: a, passwordEnv: NOT_SET_PW}"       | database.app.passwordEnv | NOT_SET_PW is not set
            misspelt field        | "{username: a, password_env: APP_PW}"          | database.app.password_env | did you mean
            """)
    void refusedNamingTheFieldNeverTheSecret(String why, String app, String field, String message) {
        PlanException e = catchThrowableOfType(PlanException.class, () -> load(app, Map.of("APP_PW", APP_SECRET)));
        assertThat(e).as(why).isNotNull();
        assertThat(e.getMessage()).as(why).contains(": " + field).contains(message).doesNotContain(APP_SECRET);
    }
}
