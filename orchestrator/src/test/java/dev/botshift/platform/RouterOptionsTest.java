package dev.botshift.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.AnswerTimeout;
import dev.botshift.plan.Approval;
import dev.botshift.plan.Plan;
import dev.botshift.plan.TrafficSpec;
import dev.botshift.testing.TestPlans;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the embedded default's router is started with, from the plan. */
class RouterOptionsTest {
    @TempDir
    Path dir;

    @Test
    void thePlansAnswerTimeoutIsTheRoutersAndWithoutOneTheDefault() {
        Plan p = TestPlans.plan("bot", "1.0.0", Approval.NONE, "router");
        assertThat(LocalPlatform.routerOptions(p, Map.of(), dir).answerTimeout()).isEqualTo(AnswerTimeout.DEFAULT);

        TrafficSpec t = p.traffic();
        Plan patient = new Plan(p.name(), p.release(), p.database(), p.workload(),
                new TrafficSpec(t.router(), t.stickyBy(), t.steps(), t.stepDuration(), t.listenPort(), t.resource(),
                        t.verify(), t.source(), t.polling(), Duration.ofMinutes(3)),
                p.analysis(), p.bake(), p.approval(), p.notifications(), p.source());
        assertThat(LocalPlatform.routerOptions(patient, Map.of(), dir).answerTimeout()).isEqualTo(Duration.ofMinutes(3));
    }
}
