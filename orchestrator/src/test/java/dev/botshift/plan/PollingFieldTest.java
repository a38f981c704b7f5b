package dev.botshift.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code traffic.source} and {@code traffic.polling}: defaults, and refusals that name the field, never the token. */
class PollingFieldTest {
    static final String TOKEN = "123456789:AAH-secret_TokenValue";

    @TempDir
    Path dir;

    Plan load(String traffic, Map<String, String> env) throws IOException {
        return EditedPlan.load(dir, "  stepDuration: 10s\n", "  stepDuration: 10s\n" + traffic, env);
    }

    @Test
    void webhookIsTheDefaultAndPollingGetsItsDefaults() throws IOException {
        TrafficSpec webhook = load("", Map.of()).traffic();
        assertThat(webhook.source()).isEqualTo("webhook");
        assertThat(webhook.polls()).isFalse();
        assertThat(webhook.polling()).isNull();

        TrafficSpec polling = load("  source: telegram-polling\n  polling: {tokenEnv: BOT_TOKEN}\n",
                Map.of("BOT_TOKEN", TOKEN)).traffic();
        assertThat(polling.polls()).isTrue();
        assertThat(polling.polling()).isEqualTo(new PollingSpec("BOT_TOKEN", "https://api.telegram.org", "/", null,
                Duration.ofSeconds(25), 8));

        PollingSpec custom = load("""
                  source: telegram-polling
                  polling:
                    tokenEnv: BOT_TOKEN
                    apiUrl: http://127.0.0.1:8081
                    path: /webhook
                    allowedUpdates: [message, callback_query]
                    pollTimeout: 50s
                    maxAttempts: 3
                """, Map.of("BOT_TOKEN", TOKEN)).traffic().polling();
        assertThat(custom).isEqualTo(new PollingSpec("BOT_TOKEN", "http://127.0.0.1:8081", "/webhook",
                List.of("message", "callback_query"), Duration.ofSeconds(50), 3));
    }

    /**
     * The supervisor starts the polling router with the variables the plan reads, and the token's is one: without it
     * the supervisor could not even read the plan again (the token must be set), and the router would get none.
     */
    @Test
    void theTokensVariableIsAmongThoseThePlanReads() throws IOException {
        Plan plan = load("  source: telegram-polling\n  polling: {tokenEnv: MY_BOT_TOKEN}\n",
                Map.of("MY_BOT_TOKEN", TOKEN));
        assertThat(PlanEnvironment.names(plan)).contains("MY_BOT_TOKEN");
        assertThat(PlanEnvironment.of(plan, Map.of("MY_BOT_TOKEN", TOKEN, "UNRELATED", "x")))
                .containsEntry("MY_BOT_TOKEN", TOKEN).doesNotContainKey("UNRELATED");

        Plan withSecret = load(
                "  source: telegram-polling\n  polling: {tokenEnv: MY_BOT_TOKEN, secretEnv: HOOK_SECRET}\n",
                Map.of("MY_BOT_TOKEN", TOKEN, "HOOK_SECRET", "s3cret_value"));
        assertThat(withSecret.traffic().polling().secretEnv()).isEqualTo("HOOK_SECRET");
        assertThat(PlanEnvironment.names(withSecret)).contains("MY_BOT_TOKEN", "HOOK_SECRET");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            unknown source      | "  source: long-polling\\n"                                                     | traffic.source                | must be one of webhook, telegram-polling
            polling block absent| "  source: telegram-polling\\n"                                                 | traffic.polling               | required field is missing
            block without source| "  polling: {tokenEnv: BOT_TOKEN}\\n"                                           | traffic.polling               | only for source telegram-polling
            no token variable   | "  source: telegram-polling\\n  polling: {apiUrl: https://api.telegram.org}\\n" | traffic.polling.tokenEnv      | required field is missing
            token in the plan   | "  source: telegram-polling\\n  polling: {tokenEnv: '1:abc'}\\n"                | traffic.polling.tokenEnv      | must be the name of an environment variable
            variable not set    | "  source: telegram-polling\\n  polling: {tokenEnv: UNSET_TOKEN}\\n"            | traffic.polling.tokenEnv      | environment variable UNSET_TOKEN is not set
            not a token         | "  source: telegram-polling\\n  polling: {tokenEnv: NOT_A_TOKEN}\\n"            | traffic.polling.tokenEnv      | does not hold a bot token
            api url not http    | "  source: telegram-polling\\n  polling: {tokenEnv: BOT_TOKEN, apiUrl: 'ftp://x'}\\n" | traffic.polling.apiUrl | must be an http:// or https:// base URL
            relative path       | "  source: telegram-polling\\n  polling: {tokenEnv: BOT_TOKEN, path: webhook}\\n" | traffic.polling.path        | must be a path starting with '/'
            bad update type     | "  source: telegram-polling\\n  polling: {tokenEnv: BOT_TOKEN, allowedUpdates: ['Message!']}\\n" | traffic.polling.allowedUpdates[0] | must be an update type
            zero timeout        | "  source: telegram-polling\\n  polling: {tokenEnv: BOT_TOKEN, pollTimeout: 0s}\\n" | traffic.polling.pollTimeout | must be between 1s and 1h
            no attempts         | "  source: telegram-polling\\n  polling: {tokenEnv: BOT_TOKEN, maxAttempts: 0}\\n" | traffic.polling.maxAttempts | must be at least 1
            verify and polling  | "  source: telegram-polling\\n  polling: {tokenEnv: BOT_TOKEN}\\n  verify: {platform: telegram, secretEnv: BOT_TOKEN}\\n" | traffic.verify | nothing to verify
            secret in the plan  | "  source: telegram-polling\\n  polling: {tokenEnv: BOT_TOKEN, secretEnv: 'abc-1'}\\n" | traffic.polling.secretEnv | must be the name of an environment variable
            secret not set      | "  source: telegram-polling\\n  polling: {tokenEnv: BOT_TOKEN, secretEnv: UNSET_SECRET}\\n" | traffic.polling.secretEnv | environment variable UNSET_SECRET is not set
            secret Telegram refuses | "  source: telegram-polling\\n  polling: {tokenEnv: BOT_TOKEN, secretEnv: NOT_A_TOKEN}\\n" | traffic.polling.secretEnv | does not hold a telegram secret
            """)
    void refusedNamingTheFieldNeverTheToken(String why, String traffic, String field, String message) {
        Map<String, String> env = Map.of("BOT_TOKEN", TOKEN, "NOT_A_TOKEN", "just words " + TOKEN + " ");
        PlanException e = catchThrowableOfType(PlanException.class, () -> load(traffic.replace("\\n", "\n"), env));
        assertThat(e).as(why).isNotNull();
        assertThat(e.getMessage()).as(why).contains(": " + field + ": ").contains(message).doesNotContain(TOKEN);
    }

    @Test
    void onKubernetesTheBotshiftRoutersDeploymentPollsAndThePlanHoldsNoBridgeSettings() throws IOException {
        assertThat(kubernetesPlan("gateway-api", "  polling: {tokenEnv: BOT_TOKEN}\n").getMessage())
                .contains(": traffic.source: telegram-polling needs the botshift router");
        assertThat(kubernetesPlan("botshift", "  polling: {tokenEnv: BOT_TOKEN}\n").getMessage())
                .contains(": traffic.polling: on kubernetes the router Deployment's arguments set the bridge")
                .contains("manifests/router-polling/deployment.yaml");
        // without the block the plan loads, and the token need not be in Botshift's environment at all
        Path file = kubernetesPlanFile("botshift", "");
        Plan plan = PlanLoader.load(file, Map.of("DB_URL", "jdbc:postgresql://localhost/bot", "DB_PASSWORD", "pw"));
        assertThat(plan.traffic().polls()).isTrue();
        assertThat(plan.traffic().polling()).isNull();
    }

    private PlanException kubernetesPlan(String router, String polling) throws IOException {
        Path file = kubernetesPlanFile(router, polling);
        return catchThrowableOfType(PlanException.class, () -> PlanLoader.load(file, Map.of("BOT_TOKEN", TOKEN,
                "DB_URL", "jdbc:postgresql://localhost/bot", "DB_PASSWORD", "pw")));
    }

    private Path kubernetesPlanFile(String router, String polling) throws IOException {
        Files.writeString(dir.resolve("changelog.yaml"), "databaseChangeLog: []\n");
        String plan = RefusedPlanTest.onKubernetes("")
                .replace("  stepDuration: 10s\n", "  stepDuration: 10s\n  router: " + router + "\n"
                        + "  source: telegram-polling\n" + polling);
        return Files.writeString(dir.resolve("plan.yaml"), plan);
    }
}
