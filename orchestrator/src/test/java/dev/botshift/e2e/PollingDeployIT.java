package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.ExitCode;
import dev.botshift.demo.FakeTelegramApi;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code botshift deploy} of a plan whose router polls the Bot API ({@code traffic.source: telegram-polling}), as a
 * user runs it: the command starts a detached supervisor, which reads the plan again with only the variables the plan
 * names. The token's variable was not among them, so the supervisor could not read the plan ("BOT_TOKEN is not set")
 * and nothing drove the rollout; the demo, which drives in its own process, never showed it.
 */
class PollingDeployIT {
    private static final String TOKEN = "123456:IT-polling_token";

    @Test
    void aPollingPlanIsDeployedByItsSupervisorAndItsUpdatesReachTheBot() throws Exception {
        try (Pg pg = Pg.start(); FakeTelegramApi api = new FakeTelegramApi(TOKEN);
             Rig rig = new Rig(pg, Map.of("BOT_TOKEN", TOKEN))) {
            Cli.Result v1 = rig.deploy(rig.plan("1.0.0", rig.changelogs.v1()).traffic("""
                      source: telegram-polling
                      polling: {tokenEnv: BOT_TOKEN, apiUrl: '%s', path: /webhook, pollTimeout: 1s}
                    """.formatted(api.baseUrl())), ExitCode.OK);
            assertThat(v1.stdout() + v1.stderr()).doesNotContain(TOKEN);

            for (int i = 1; i <= 20; i++) {
                api.message(100 + i % 4, "hello " + i);
            }
            Instant giveUp = Instant.now().plus(Duration.ofSeconds(30));
            while (stored(rig) < 20 || api.pending() > 0) {
                assertThat(Instant.now()).as("20 updates polled, delivered to v1 and stored within 30 s (stored %d,"
                        + " pending %d)", stored(rig), api.pending()).isBefore(giveUp);
                Thread.sleep(100);
            }
            assertThat(stored(rig)).isEqualTo(20);

            // status shows the bridge, where a user looks when a polling rollout sees no traffic
            Cli.Result status = rig.run(Duration.ofSeconds(30), "status", "sentiment-bot");
            assertThat(status.exitCode()).as("%s", status).isZero();
            assertThat(status.stdout()).contains("Polling:")
                    .contains("20 updates received, 20 acknowledged, 0 in flight")
                    .doesNotContain(TOKEN);
            Cli.Result json = rig.run(Duration.ofSeconds(30), "status", "sentiment-bot", "-o", "json");
            assertThat(json.stdout()).contains("\"polling\"").contains("\"delivered\" : 20");
        }
    }

    private static long stored(Rig rig) throws Exception {
        try (Connection c = Pg.connect(rig.dbEnv);
             ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM user_interactions")) {
            r.next();
            return r.getLong(1);
        }
    }
}
