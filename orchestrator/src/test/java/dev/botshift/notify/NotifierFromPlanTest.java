package dev.botshift.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.plan.NotifySpec;
import dev.botshift.plan.Plan;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a plan's notify block switches notifications on. */
class NotifierFromPlanTest {
    static Plan plan(NotifySpec notify) {
        return new Plan("bot", "2.0.0", null, null, null, null, null, null, notify, null);
    }

    @Test
    void offWithoutANotifyBlock() {
        assertThat(WebhookNotifier.forPlan(plan(null), Map.of("SLACK_URL", "https://chat.example/x"))).isEmpty();
    }

    @Test
    void offWhenTheNamedVariableIsUnsetOrNotAUrl() {
        NotifySpec spec = new NotifySpec("SLACK_URL");
        assertThat(WebhookNotifier.forPlan(plan(spec), Map.of())).isEmpty();
        assertThat(WebhookNotifier.forPlan(plan(spec), Map.of("SLACK_URL", "  "))).isEmpty();
        assertThat(WebhookNotifier.forPlan(plan(spec), Map.of("SLACK_URL", "not a url"))).isEmpty();
        assertThat(WebhookNotifier.forPlan(plan(spec), Map.of("SLACK_URL", "ftp://chat.example/x"))).isEmpty();
    }

    @Test
    void onWhenTheNamedVariableHoldsAnHttpsUrlWhichItNeverShows() {
        var n = WebhookNotifier.forPlan(plan(new NotifySpec("SLACK_URL")),
                Map.of("SLACK_URL", "https://chat.example/services/s3cr3t"));
        assertThat(n).isPresent();
        n.get().close();
        assertThat(n.get().toString()).contains("SLACK_URL").doesNotContain("s3cr3t");
    }
}
