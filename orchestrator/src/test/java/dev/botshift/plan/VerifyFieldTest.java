package dev.botshift.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code traffic.verify}: the platform, the variable holding the secret (checked, never quoted), Slack's window. */
class VerifyFieldTest {
    static final String SECRET = "tg-S3cret_value";

    @TempDir
    Path dir;

    Plan load(String verify, Map<String, String> env) throws IOException {
        return EditedPlan.load(dir, "  stepDuration: 10s\n", "  stepDuration: 10s\n  verify: " + verify + "\n",
                env);
    }

    @Test
    void eachPlatformLoadsAndOnlySlackGetsAReplayWindow() throws IOException {
        Map<String, String> env = Map.of("HOOK", SECRET);
        assertThat(load("{platform: telegram, secretEnv: HOOK}", env).traffic().verify())
                .isEqualTo(new VerifySpec("telegram", "HOOK", null));
        assertThat(load("{platform: slack, secretEnv: HOOK}", env).traffic().verify())
                .isEqualTo(new VerifySpec("slack", "HOOK", Duration.ofMinutes(5)));
        assertThat(load("{platform: slack, secretEnv: HOOK, maxSkew: 90s}", env).traffic().verify().maxSkew())
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(load("{platform: whatsapp, secretEnv: HOOK}", env).traffic().verify().platform()).isEqualTo("whatsapp");
        assertThat(load("~", env).traffic().verify()).isNull();
        VerifySpec registered = load("{platform: telegram, secret: registered}", Map.of()).traffic().verify();
        assertThat(registered).isEqualTo(new VerifySpec("telegram", null, "registered", null));
        assertThat(registered.registered()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            unknown platform      | "{platform: discord, secretEnv: HOOK}"                 | traffic.verify.platform  | must be one of telegram, slack, whatsapp
            no platform           | "{secretEnv: HOOK}"                                    | traffic.verify.platform  | required field
            no secretEnv          | "{platform: telegram}"                                 | traffic.verify.secretEnv | required field
            the secret itself     | "{platform: telegram, secretEnv: 'tg-S3cret_value!'}"  | traffic.verify.secretEnv | name of an environment variable
            secret inline         | "{platform: telegram, secret: abc}"                    | traffic.verify.secret    | must be 'registered'
            registered for slack  | "{platform: slack, secret: registered}"                | traffic.verify.secret    | only for platform telegram
            registered and env    | "{platform: telegram, secret: registered, secretEnv: HOOK}" | traffic.verify.secretEnv | either secretEnv or secret: registered
            variable unset        | "{platform: telegram, secretEnv: NOT_SET_HOOK}"        | traffic.verify.secretEnv | NOT_SET_HOOK is not set
            variable empty        | "{platform: telegram, secretEnv: EMPTY}"               | traffic.verify.secretEnv | EMPTY is empty
            not a telegram token  | "{platform: telegram, secretEnv: SPACED}"              | traffic.verify.secretEnv | does not hold a telegram secret
            maxSkew for telegram  | "{platform: telegram, secretEnv: HOOK, maxSkew: 5m}"   | traffic.verify.maxSkew   | only for platform slack
            zero maxSkew          | "{platform: slack, secretEnv: HOOK, maxSkew: 0s}"      | traffic.verify.maxSkew   | must be longer than 0
            verify is a list      | "[telegram, HOOK]"                                     | traffic.verify           | expected a mapping
            """)
    void refusedNamingTheFieldNeverTheSecret(String why, String verify, String field, String message) {
        Map<String, String> env = Map.of("HOOK", SECRET, "EMPTY", "", "SPACED", "has a space " + SECRET);
        PlanException e = catchThrowableOfType(PlanException.class, () -> load(verify, env));
        assertThat(e).as(why).isNotNull();
        assertThat(e.getMessage()).as(why).contains(": " + field + ": ").contains(message).doesNotContain(SECRET);
    }

    @Test
    void onlyTheBotshiftRouterVerifies() throws IOException {
        Files.writeString(dir.resolve("changelog.yaml"), "databaseChangeLog: []\n");
        String kubernetes = RefusedPlanTest.onKubernetes("")
                .replace("traffic:\n", "traffic:\n  router: gateway-api\n  verify: {platform: telegram, secretEnv: HOOK}\n");
        Path plan = Files.writeString(dir.resolve("plan.yaml"), kubernetes);
        PlanException e = catchThrowableOfType(PlanException.class, () -> PlanLoader.load(plan,
                Map.of("DB_URL", "jdbc:postgresql://localhost/bot", "HOOK", SECRET)));
        assertThat(e.getMessage()).contains(": traffic.verify: only the botshift router verifies webhooks");

        Path registered = Files.writeString(dir.resolve("plan.yaml"), kubernetes.replace("router: gateway-api",
                "router: botshift").replace("secretEnv: HOOK", "secret: registered"));
        PlanException local = catchThrowableOfType(PlanException.class, () -> PlanLoader.load(registered,
                Map.of("DB_URL", "jdbc:postgresql://localhost/bot")));
        assertThat(local.getMessage()).contains(": traffic.verify.secret: registered secrets are kept in the local"
                + " state directory: on the local platform only for now");
    }
}
