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

/** {@code traffic.answerTimeout}: how long the embedded default's router waits for a bot's answer. */
class AnswerTimeoutFieldTest {
    @TempDir
    Path dir;

    private Plan load(String traffic) throws IOException {
        return EditedPlan.load(dir, "  stepDuration: 10s\n", "  stepDuration: 10s\n" + traffic, Map.of());
    }

    @Test
    void sixtySecondsUnlessThePlanSaysOtherwise() throws IOException {
        assertThat(load("").traffic().answerTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(load("  answerTimeout: 2m\n").traffic().answerTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            0s      | must be 1s..1h, got 0s
            500ms   | must be 1s..1h, got 500ms
            2h      | must be 1s..1h, got 2h
            soon    | soon
            """)
    void outOfBoundsOrNotADurationIsRefusedNamingTheField(String value, String message) {
        PlanException e = catchThrowableOfType(PlanException.class, () -> load("  answerTimeout: " + value + "\n"));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("plan.yaml:").contains(": traffic.answerTimeout: ").contains(message);
    }

    @Test
    void onKubernetesTheRouterDeploymentsArgumentSetsIt() throws IOException {
        Files.writeString(dir.resolve("changelog.yaml"), "databaseChangeLog: []\n");
        Map<String, String> env = Map.of("DB_URL", "jdbc:postgresql://localhost/bot", "DB_PASSWORD", "pw");
        String plan = RefusedPlanTest.onKubernetes("");
        Path without = Files.writeString(dir.resolve("plan.yaml"), plan);
        assertThat(PlanLoader.load(without, env).traffic().answerTimeout()).as("no default there").isNull();

        Path with = Files.writeString(dir.resolve("plan.yaml"),
                plan.replace("  stepDuration: 10s\n", "  stepDuration: 10s\n  answerTimeout: 90s\n"));
        PlanException e = catchThrowableOfType(PlanException.class, () -> PlanLoader.load(with, env));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(": traffic.answerTimeout: on kubernetes the router Deployment's"
                + " --answer-timeout argument sets it (manifests/router/deployment.yaml");
    }
}
