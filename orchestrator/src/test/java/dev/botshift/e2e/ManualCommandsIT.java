package dev.botshift.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.rollout.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The manual commands against a real rollout: a detached gate, status, a watch that times out, abort, promote and
 * resume (the contract run as deployed, whatever the checkout holds by then), and an abort refused once the contract
 * has started. The tests share one v1 baseline and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManualCommandsIT extends LiveBaseline {
    private static final String APP = "sentiment-bot";
    private static final ObjectMapper JSON = new ObjectMapper();



    @Test
    @Order(1)
    void detachedGateThenAbortRollsBackWithBlueServing() throws Exception {
        rig.deploy(gated("2.0.0"), 4, "--detach");

        JsonNode status = JSON.readTree(Rig.expect(0, run("status", APP, "-o", "json")).stdout());
        assertThat(status.path("phase").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(status.path("release").asText()).isEqualTo("2.0.0");
        Rig.expect(6, run("status", APP, "--watch", "--until=succeeded", "--timeout=1s"));

        Cli.Result aborted = Rig.expect(3, run("abort", APP));
        assertThat(aborted.stdout()).contains("ROLLED BACK");
        assertThat(rig.state(APP).orElseThrow().phase()).isInstanceOf(Phase.RolledBack.class);
        assertThat(rig.router(APP).config().weights()).isEqualTo(Weights.allTo(Slot.A));
        assertThat(rig.router(APP).config().backendsOf(Slot.B)).isEmpty();
        assertThat(rig.router(APP).config().backendsOf(Slot.A)).hasSize(1);
    }

    @Test
    @Order(2)
    void detachedGateThenPromoteAndResumeFinishesWithTheChangelogAsDeployed() throws Exception {
        rig.deploy(gated("2.0.1"), 4, "--detach");
        // while the release waits for a human, the checkout moves on: the same changelog file now holds a later
        // contract (it drops a table 2.x writes). The contract run after the promote is 2.0.1's, as deployed.
        Path changelog = rig.changelogs.v2();
        String deployed = Files.readString(changelog);
        Files.writeString(changelog, Files.readString(rig.changelogs.v2WithAContractGreenCannotSurvive()));
        try {
            Rig.expect(0, run("promote", APP));
            Rig.expect(0, run("resume", APP));
        } finally {
            Files.writeString(changelog, deployed);
        }
        assertThat(rig.state(APP).orElseThrow().phase()).isInstanceOf(Phase.Succeeded.class);
        assertThat(rig.state(APP).orElseThrow().release()).isEqualTo("2.0.1");
        assertThat(SchemaChecks.recordedIds(rig.dbEnv)).as("changesets applied").contains("v2-003-backfill")
                .doesNotContain("bad-contract");

        Cli.Result ended = Rig.expect(2, run("abort", APP));
        assertThat(ended.stderr()).contains("has already ended (SUCCEEDED)");
    }

    @Test
    @Order(3)
    void abortOnceTheContractHasStartedIsRefused() throws Exception {
        PlanFile plan = rig.plan("2.0.2", rig.changelogs.v2WithSlow(1, 3)).steps("[100]").stepDuration("1s").bake("1s");
        Cli.Run deploy = rig.start("deploy", "-f", rig.write(plan).toString());
        rig.awaitState(APP, s -> s.release().equals("2.0.2") && s.phase() instanceof Phase.Contracting,
                Duration.ofSeconds(90), "2.0.2 contracting");
        rig.killSupervisor(APP); // nothing drives it now: it stays in CONTRACTING until resumed
        deploy.kill9();

        Cli.Result refused = Rig.expect(2, run("abort", APP));
        assertThat(refused.stderr()).contains("cannot abort").contains("the contract has started");
        assertThat(rig.state(APP).orElseThrow().phase()).isInstanceOf(Phase.Contracting.class);
        Rig.expect(0, run("resume", APP));
        assertThat(rig.state(APP).orElseThrow().phase()).isInstanceOf(Phase.Succeeded.class);
    }

    private PlanFile gated(String release) {
        // the commands need the gate and the contract, not the steps' and the bake's length
        return rig.plan(release, rig.changelogs.v2()).steps("[50, 100]").stepDuration("1s").bake("1s")
                .approval("before-contract");
    }

    private Cli.Result run(String... args) throws InterruptedException {
        return rig.run(Duration.ofSeconds(120), args);
    }
}
