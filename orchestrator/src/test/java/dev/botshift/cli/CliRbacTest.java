package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.kubernetes.ApiAccess;
import dev.botshift.kubernetes.Names;
import dev.botshift.kubernetes.testing.ApiRequests;
import dev.botshift.kubernetes.testing.MockCluster;
import dev.botshift.kubernetes.testing.RoleRules;
import dev.botshift.plan.Plan;
import dev.botshift.platform.KubernetesPlans;
import dev.botshift.platform.Platforms;
import dev.botshift.platform.StateOptions;
import dev.botshift.state.StateStore;
import dev.botshift.supervise.Controller;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import picocli.CommandLine;

/**
 * What the {@code botshift} CLI calls on Kubernetes, where the controller drives every rollout: the Role of
 * {@code manifests/rbac.yaml} (the deploy Job's ServiceAccount, a CI's credentials) grants exactly that, so a leaked
 * CI credential cannot scale, delete or re-route the bots. The commands run as a user runs them (their Kubernetes
 * client configured from the environment, here pointed at the mock); deploy's cluster half runs as
 * {@link DeployCommand} calls it (its preflight needs a database, which the cluster tests do not have).
 */
@ResourceLock(Resources.SYSTEM_PROPERTIES) // Fabric8's configuration, pointed at the mock for the commands
class CliRbacTest extends MockCluster {
    private static final String APP = "sentiment-bot";
    private static final Map<String, String> FABRIC8 = Map.of("kubernetes.auth.tryKubeConfig", "false",
            "kubernetes.auth.tryServiceAccount", "false", "kubernetes.trust.certificates", "true",
            "kubernetes.namespace", NS);
    private final Map<String, String> before = new LinkedHashMap<>();
    @TempDir
    Path dir;

    @BeforeEach
    void pointTheEnvironmentAtTheMock() {
        Map<String, String> set = new LinkedHashMap<>(FABRIC8);
        set.put("kubernetes.master", client.getMasterUrl().toString());
        set.forEach((k, v) -> before.put(k, System.setProperty(k, v)));
    }

    @AfterEach
    void restore() {
        before.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    /** A controller replica leads (its Lease renewed now, lasting {@code seconds}), as deploy requires. */
    private void controllerLeads(int seconds) {
        try (KubernetesClient fixture = ApiRequests.fixtureClient(client)) {
            fixture.leases().inNamespace(NS).resource(new LeaseBuilder().withNewMetadata()
                    .withName(Names.lockLease(Controller.LEADERSHIP)).withNamespace(NS).endMetadata().withNewSpec()
                    .withHolderIdentity("botshift-controller-0").withLeaseDurationSeconds(seconds)
                    .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC)).endSpec().build()).createOr(r -> r.update());
        }
    }

    @Test
    void everyCommandStaysWithinTheCliRoleAndTheRoleGrantsNothingMore() throws Exception {
        controllerLeads(15);
        ApiRequests.drainCalls(server);

        // deploy, its cluster half: the controller leads, the release is submitted under the app's Lease and stored
        Plan plan = new KubernetesPlans(dir, "http://127.0.0.1:9/").base();
        StateOptions options = StateOptions.kubernetes(NS);
        try (StateStore store = Platforms.stateStore(plan, options)) {
            Driver driver = Driver.of(store, options);
            driver.require();
            Submit.submit(plan, store, Clock.systemUTC(), fresh -> driver.beforeFresh(plan, fresh));
            driver.take(plan, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertThat(driver.watch(APP).gone()).as("a follower sees the controller").isEmpty();
        }
        // the commands as typed; nothing drives the rollout here, so a request goes unanswered (exit 6). The plan
        // file the state names is not readable here (its environment is the deploying job's): on Kubernetes no
        // command needs it, nor a supervisor
        assertThat(run("status", APP, "--namespace", NS).code()).isZero();
        for (String request : new String[] {"pause", "promote", "abort"}) {
            Ran ran = run(request, APP, "--namespace", NS, "--timeout", "1s");
            assertThat(ran.code()).as(request).isEqualTo(6);
            assertThat(ran.said()).as(request).doesNotContain("plan", "supervisor")
                    .contains("waits in the inbox for whatever drives the rollout");
        }
        // resume with --timeout stops following then, saying where the rollout stands (nothing drives it here)
        Ran limited = run("resume", APP, "--namespace", NS, "--timeout", "1s");
        assertThat(limited.code()).as("resume --timeout: " + limited.said()).isEqualTo(6);
        assertThat(limited.out()).contains(APP + " " + plan.release() + ": still ", " when the time given ran out; it goes on "
                + "(botshift status " + APP + ")");
        // resume follows to the end: here until the leadership lapses (a 3 s lease, gone 6 s after it was renewed,
        // time enough for resume to find it held first): exit 1
        controllerLeads(3);
        Ran resumed = run("resume", APP, "--namespace", NS);
        assertThat(resumed.code()).as("resume, its driver gone: " + resumed.said()).isEqualTo(1);
        assertThat(resumed.said()).contains("no botshift controller holds its leadership");
        Ran refused = run("resume", APP, "--namespace", NS);
        assertThat(refused.code()).as("resume with no controller: refused, nothing handed in").isEqualTo(2);
        assertThat(refused.said()).contains("no botshift controller runs in namespace bots");

        Set<ApiRequests.Call> calls = ApiRequests.drainCalls(server);
        var role = RoleRules.role(KubernetesPlans.REPO.resolve("manifests/rbac.yaml"), "botshift");
        assertThat(calls).as("the CLI's requests").isNotEmpty()
                .allSatisfy(c -> assertThat(RoleRules.allows(role, c)).as("allowed by the CLI's Role: " + c).isTrue());
        assertThat(calls.stream().map(ApiRequests.Call::grant).collect(java.util.stream.Collectors.toSet()))
                .as("what the CLI called, against ApiAccess.CLI").containsExactlyInAnyOrderElementsOf(ApiAccess.CLI);
    }

    /** A command's exit code and everything it wrote to standard error. */
    private record Ran(int code, String said, String out) {
    }

    private static Ran run(String... args) {
        PrintStream was = System.err;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
        PrintStream wasOut = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        StringWriter err = new StringWriter();
        int code;
        try {
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(new StringWriter()));
            cli.setErr(new PrintWriter(err));
            code = cli.execute(args);
        } finally {
            System.setErr(was);
            System.setOut(wasOut);
        }
        return new Ran(code, err + said.toString(StandardCharsets.UTF_8), printed.toString(StandardCharsets.UTF_8));
    }
}
