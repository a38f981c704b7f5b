package dev.botshift.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code traffic.source: telegram-handover}: what a handover plan needs, refused naming the field. */
class HandoverFieldTest {
    private static final String HANDOVER = "  source: telegram-handover\n";
    private static final String FITS = "  platform: local\n  replicas: 1\n  command: [java, -jar, bot.jar]\n";

    @TempDir
    Path dir;

    @Test
    void aHandoverPlanWithOneStepOneInstanceAndTheBotsCountersLoads() throws IOException {
        TrafficSpec t = load(List.of(100), 1, "bot-metrics", "").traffic();

        assertThat(t.handsOver()).isTrue();
        assertThat(t.polls()).isFalse();
        assertThat(t.steps()).containsExactly(100);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            several steps       | 10,100 | 1 | bot-metrics | traffic.steps     | steps must be [100] (are [10, 100])
            two instances       | 100    | 2 | bot-metrics | workload.replicas | needs exactly 1: Telegram allows one getUpdates consumer
            router counts       | 100    | 1 | router      | analysis.provider | no update passes the router
            combined counts     | 100    | 1 | combined    | analysis.provider | use bot-metrics (is combined)
            """)
    void refusedNamingTheField(String why, String steps, int replicas, String provider, String field, String message) {
        List<Integer> list = java.util.Arrays.stream(steps.split(",")).map(Integer::valueOf).toList();
        PlanException e = catchThrowableOfType(PlanException.class, () -> load(list, replicas, provider, ""));

        assertThat(e).as(why).isNotNull();
        assertThat(e.getMessage()).as(why).contains(": " + field + ": ").contains(message);
    }

    @Test
    void aHandoverTakesNoWebhookVerification() {
        PlanException e = catchThrowableOfType(PlanException.class, () -> load(List.of(100), 1, "bot-metrics",
                "  verify: {platform: telegram, secretEnv: SECRET}\n"));

        assertThat(e.getMessage()).contains(": traffic.verify: in a handover the bots poll");
    }

    @Test
    void aHandoverRunsOnTheLocalPlatformOnly() throws IOException {
        Files.writeString(dir.resolve("changelog.yaml"), "databaseChangeLog: []\n");
        String plan = RefusedPlanTest.onKubernetes("  replicas: 1\n")
                .replace("  steps: [10, 25, 50, 100]\n", "  steps: [100]\n")
                .replace("  stepDuration: 10s\n", "  stepDuration: 10s\n" + HANDOVER)
                .replace("analysis:\n", "analysis:\n  provider: bot-metrics\n");
        Path file = Files.writeString(dir.resolve("plan.yaml"), plan);

        PlanException e = catchThrowableOfType(PlanException.class, () -> PlanLoader.load(file,
                Map.of("DB_URL", "jdbc:postgresql://localhost/bot", "DB_PASSWORD", "pw")));

        assertThat(e.getMessage()).contains(": traffic.source: telegram-handover runs on the local platform only");
    }

    private Plan load(List<Integer> steps, int replicas, String provider, String extraTraffic) throws IOException {
        Files.writeString(dir.resolve("changelog.yaml"), "databaseChangeLog: []\n");
        String plan = RefusedPlanTest.VALID
                .replace("  platform: local\n  command: [java, -jar, bot.jar]\n", FITS.replace("replicas: 1",
                        "replicas: " + replicas))
                .replace("  steps: [10, 25, 50, 100]\n", "  steps: " + steps + "\n")
                .replace("  stepDuration: 10s\n", "  stepDuration: 10s\n" + HANDOVER + extraTraffic)
                .replace("analysis:\n", "analysis:\n  provider: " + provider + "\n");
        return PlanLoader.load(Files.writeString(dir.resolve("plan.yaml"), plan),
                Map.of("DB_URL", "jdbc:postgresql://localhost/bot", "DB_PASSWORD", "pw", "SECRET", "s3cret-value-long"));
    }
}
