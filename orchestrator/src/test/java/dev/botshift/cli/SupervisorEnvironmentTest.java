package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.os.ChildEnvironment;
import dev.botshift.plan.EditedPlan;
import dev.botshift.plan.Plan;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detached supervisor starts with what any program needs and the variables its plan reads: nothing else. */
class SupervisorEnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void whatAnyChildGetsAndWhatThePlanReadsNothingElse() throws Exception {
        Plan plan = EditedPlan.load(dir, "  changelog: changelog.yaml\n", "  changelog: changelog.yaml\n", Map.of());
        Map<String, String> shell = Map.of("PATH", "/usr/bin", "LC_CTYPE", "C.UTF-8", "LOGNAME", "alice",
                "DB_URL", "jdbc:postgresql://localhost/bot", "DB_PASSWORD", "pw", "AWS_SECRET_ACCESS_KEY", "not-for-it");

        Map<String, String> env = Driver.Supervisor.environment(plan, shell);

        assertThat(env).containsEntry("PATH", "/usr/bin").containsEntry("DB_PASSWORD", "pw")
                .as("the same rule as for every child (a locale of its own, its user)")
                .containsEntry("LC_CTYPE", "C.UTF-8").containsEntry("LOGNAME", "alice")
                .doesNotContainKey("AWS_SECRET_ACCESS_KEY");
        assertThat(env.keySet()).allMatch(name -> ChildEnvironment.PASSED_THROUGH.contains(name)
                || name.startsWith("DB_"));
    }
}
