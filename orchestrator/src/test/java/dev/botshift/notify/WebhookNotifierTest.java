package dev.botshift.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.botshift.core.Slot;
import dev.botshift.core.Split;
import dev.botshift.plan.Approval;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.RolloutListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The notifier against a real HTTP server standing in for Slack, fed by the real rollout core. */
class WebhookNotifierTest {
    static final String SECRET_PATH = "/services/T0001/B0002/s3cr3tT0ken";
    static final ObjectMapper JSON = new ObjectMapper();

    /** generous: the build machine may be loaded, and these tests are not about timeouts */
    static final Duration PATIENT = Duration.ofSeconds(15);

    WireMockServer slack;
    PrintStream originalErr;
    final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void start() {
        slack = new WireMockServer(options().dynamicPort());
        slack.start();
        originalErr = System.err;
        // slf4j-simple writes to whatever System.err is at the time of the call
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setErr(originalErr);
        slack.stop();
    }

    URI webhook() {
        return URI.create("http://127.0.0.1:" + slack.port() + SECRET_PATH);
    }

    List<String> texts() throws Exception {
        List<ServeEvent> events = new ArrayList<>(slack.getAllServeEvents());
        events.sort((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()));
        List<String> texts = new ArrayList<>();
        for (ServeEvent e : events) {
            assertThat(e.getRequest().getHeader("Content-Type")).startsWith("application/json");
            JsonNode body = JSON.readTree(e.getRequest().getBodyAsString());
            texts.add(body.get("text").asText());
            assertThat(body.at("/blocks/0/text/text").asText()).isEqualTo(body.get("text").asText());
        }
        return texts;
    }

    @Test
    void aPromotedReleaseAnnouncesStartStepsGatePromotionContractAndEnd() throws Exception {
        slack.stubFor(post(urlEqualTo(SECRET_PATH)).willReturn(aResponse().withStatus(200).withBody("ok")));
        ScriptedRollout rollout = new ScriptedRollout();
        Outcome o = releaseNotifying(rollout, Approval.BEFORE_CONTRACT);
        assertThat(o).isInstanceOf(Outcome.Succeeded.class);
        List<String> texts = texts();
        assertThat(texts).as(String.join("\n", texts)).hasSize(9);
        assertThat(texts.get(0)).contains("bot 2.0.0", "started (attempt 1", "replacing 1.0.0");
        assertThat(texts.subList(1, 5)).allSatisfy(t -> assertThat(t).contains("traffic now"));
        assertThat(texts.get(1)).contains(Split.green(10).toString());
        assertThat(texts.get(4)).contains(Split.allToGreen().toString());
        assertThat(texts.get(5)).contains("waiting for approval (before contract)", "botshift promote bot");
        assertThat(texts.get(6)).contains("promote by reviewer");
        assertThat(texts.get(7)).contains("POINT OF NO RETURN");
        assertThat(texts.get(8)).contains("ended: SUCCEEDED");
        assertNoSecretAnywhere(texts);
    }

    /** Releases 2.0.0 with a notifier posting to the stubbed webhook, closed (so every message sent) before it returns. */
    private Outcome releaseNotifying(ScriptedRollout rollout, Approval approval) throws Exception {
        try (WebhookNotifier n = new WebhookNotifier(webhook(), "environment variable SLACK_URL", PATIENT, 64)) {
            return rollout.release("2.0.0", approval, List.of(n));
        }
    }

    @Test
    void aRollbackCarriesTheVerdictThatCausedIt() throws Exception {
        slack.stubFor(post(urlEqualTo(SECRET_PATH)).willReturn(aResponse().withStatus(200).withBody("ok")));
        ScriptedRollout rollout = new ScriptedRollout();
        rollout.errorRate.put(Slot.B, 0.30);
        Outcome o = releaseNotifying(rollout, Approval.NONE);
        assertThat(o).isInstanceOf(Outcome.RolledBack.class);
        List<String> texts = texts();
        assertThat(texts).hasSize(5);
        assertThat(texts.get(0)).contains("started");
        assertThat(texts.get(1)).contains(Split.green(10).toString());
        assertThat(texts.get(2)).contains("rolling back", "analysis failed", "green 30.0%");
        assertThat(texts.get(3)).contains(Split.allToBlue().toString());
        assertThat(texts.get(4)).contains("ended: ROLLED BACK");
        assertNoSecretAnywhere(texts);
    }

    @Test
    void aFailingWebhookIsLoggedOnceAndChangesNothing() throws Exception {
        slack.stubFor(post(urlEqualTo(SECRET_PATH)).willReturn(aResponse().withStatus(500).withBody("invalid_token")));
        ScriptedRollout quiet = new ScriptedRollout();
        Outcome without = quiet.release("2.0.0", Approval.BEFORE_CONTRACT, List.of());
        ScriptedRollout noisy = new ScriptedRollout();
        Outcome with = releaseNotifying(noisy, Approval.BEFORE_CONTRACT);
        assertThat(with.getClass()).isEqualTo(without.getClass());
        assertThat(noisy.router.history).isEqualTo(quiet.router.history);
        assertThat(noisy.state().phase()).isEqualTo(quiet.state().phase());
        assertThat(slack.getAllServeEvents()).hasSize(9);
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("HTTP 500", "SLACK_URL");
        assertThat(logged.split("notification to the webhook", -1)).hasSize(2);
        assertNoSecretAnywhere(List.of(logged));
    }

    @Test
    void aWebhookSlowerThanTheTimeoutNeitherSlowsNorChangesTheRollout() throws Exception {
        slack.stubFor(post(urlEqualTo(SECRET_PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(5000)));
        ScriptedRollout rollout = new ScriptedRollout();
        Duration timeout = Duration.ofSeconds(1);
        WebhookNotifier n = new WebhookNotifier(webhook(), "environment variable SLACK_URL", timeout, 2);
        long t0 = System.nanoTime();
        Outcome o = rollout.release("2.0.0", Approval.BEFORE_CONTRACT, List.<RolloutListener>of(n));
        long runMillis = (System.nanoTime() - t0) / 1_000_000;
        long t1 = System.nanoTime();
        n.close();
        long closeMillis = (System.nanoTime() - t1) / 1_000_000;

        assertThat(o).isInstanceOf(Outcome.Succeeded.class);
        // nine messages at 1 s each would take 9 s if the rollout waited for them
        assertThat(runMillis).isLessThan(5000);
        assertThat(closeMillis).isLessThan(timeout.toMillis() + 2500);
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("SLACK_URL").contains("failed");
        assertNoSecretAnywhere(List.of(logged));
    }

    @Test
    void anUnreachableWebhookIsLoggedWithoutItsAddress() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        ScriptedRollout rollout = new ScriptedRollout();
        Outcome o;
        try (WebhookNotifier n = new WebhookNotifier(URI.create("http://127.0.0.1:" + closed + SECRET_PATH),
                "environment variable SLACK_URL", Duration.ofSeconds(1), 64)) {
            o = rollout.release("2.0.0", Approval.NONE, List.of(n));
        }
        assertThat(o).isInstanceOf(Outcome.Succeeded.class);
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("ConnectException", "SLACK_URL").doesNotContain(String.valueOf(closed));
        assertNoSecretAnywhere(List.of(logged));
    }

    private void assertNoSecretAnywhere(List<String> texts) {
        assertThat(texts).allSatisfy(t -> assertThat(t).doesNotContain("s3cr3tT0ken").doesNotContain("T0001/B0002")
                .doesNotContain("127.0.0.1:" + slack.port()));
    }
}
