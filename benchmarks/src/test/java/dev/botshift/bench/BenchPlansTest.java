package dev.botshift.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The benchmark's plan files load with exactly what the rig sets, nothing from the caller's environment: a plan that
 * names a variable the rig no longer sets (part 10's once named one) is refused here, not half-way through a run.
 */
class BenchPlansTest {
    private static final Path PLANS = Path.of("plans").toAbsolutePath();
    private static final Map<String, String> DATABASE = Map.of("DB_URL", "jdbc:postgresql://127.0.0.1:5432/postgres",
            "DB_USER", "postgres", "DB_PASSWORD", "");

    @ParameterizedTest(name = "bench.yaml, spike onset from a fault file: {0}")
    @ValueSource(booleans = {false, true})
    void benchPlanLoadsWithTheRigsVariables(boolean spike) {
        Path fault = Path.of("/tmp/botshift-bench-fault");
        RolloutRig.Release release = new RolloutRig.Release("2.0.7", "changelog-v2.yaml", 0.01, spike ? fault : null,
                Duration.ofSeconds(5));
        Plan plan = PlanLoader.load(PLANS.resolve("bench.yaml"), RolloutRig.planEnv(DATABASE, release, 18_080));

        assertThat(plan.release()).isEqualTo("2.0.7");
        assertThat(plan.workload().env()).containsEntry("BOT_FAULT_RATE", "0.01")
                .containsEntry("BOT_FAULT_FILE", spike ? fault.toString() : "");
        assertThat(plan.traffic().stepDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(plan.analysis().postContract()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void verifiedPlanLoadsWithWhatPartTenAdds() {
        Map<String, String> base = new HashMap<>(DATABASE);
        base.put(ForgedPart.SECRET_ENV, "a-webhook-secret-of-the-run");
        RolloutRig.Release release = new RolloutRig.Release("1.0.0", "changelog-v1.yaml", 0, null, Duration.ofSeconds(5));
        Plan plan = PlanLoader.load(PLANS.resolve("bench-verified.yaml"), RolloutRig.planEnv(base, release, 18_080));

        assertThat(plan.traffic().verify().secretEnv()).isEqualTo(ForgedPart.SECRET_ENV);
        assertThat(plan.workload().env()).containsEntry("BOT_FAULT_FILE", "");
    }
}
