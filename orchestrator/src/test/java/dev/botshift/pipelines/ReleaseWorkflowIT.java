package dev.botshift.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botshift.demo.ChatPlatform;
import dev.botshift.os.ListenPort;
import dev.botshift.plan.PlanLoader;
import dev.botshift.platform.Platforms;
import dev.botshift.platform.StateOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub release workflow's shell steps, taken from the YAML and run in order against the embedded default
 * with the packaged jar: a faulty release ends in the abort path with exit code 3; the same release, fixed and
 * deployed again (a fresh attempt, nothing edited by hand), stops at the gate, is promoted and succeeds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleaseWorkflowIT {
    static final String APP = "sentiment-bot";
    static final Path REPO = Path.of(System.getProperty("botshift.repo", "..")).toAbsolutePath().normalize();
    static final Path JAR = Path.of(System.getProperty("botshift.jar", "target/botshift.jar")).toAbsolutePath();
    static final String GATE = "approval: before-contract";
    /**
     * The demo's 3 s steps, 3 s bake and 5 s post-contract watch, shortened for a healthy release: what this class
     * proves is the workflow's jobs, steps and exit codes, not the phases' lengths (up to 20 s less per release). The
     * faulty release keeps the demo's timing, so that its rollback happens as in the demo.
     */
    static final Map<String, String> QUICK = Map.of("stepDuration: 3s", "stepDuration: 1s", "bake: 3s", "bake: 1s",
            "postContract: 5s", "postContract: 1s");
    static final List<String> JOBS = List.of("deploy", "promote", "abort");

    @TempDir
    static Path dir;
    static Path workspace;
    static EmbeddedPostgres pg;
    static ChatPlatform chats;
    static Map<String, String> secrets = new HashMap<>();
    static int port;

    @BeforeAll
    static void v1IsLiveAndChatsFlow() throws Exception {
        workspace = Files.createDirectories(dir.resolve("workspace"));
        pg = EmbeddedPostgres.builder().start();
        secrets.put("DB_URL", "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres");
        secrets.put("DB_USER", "postgres");
        secrets.put("DB_PASSWORD", "it-s3cret-pw");
        port = ListenPort.pick(); // the router's port, below the ephemeral range
        Path v1 = plan("plan-v1.yaml", "plan-1.0.0.yaml", QUICK);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "deploy", "-f", v1.toString()).directory(workspace.toFile()).inheritIO();
        pb.environment().keySet().removeIf(k -> k.startsWith("BOTSHIFT_"));
        pb.environment().putAll(secrets);
        Process v1Deploy = pb.start();
        assertThat(v1Deploy.waitFor(3, java.util.concurrent.TimeUnit.MINUTES)).as("v1 deploy ends").isTrue();
        assertThat(v1Deploy.exitValue()).as("v1 goes live").isZero();
        chats = ChatPlatform.builder(URI.create("http://127.0.0.1:" + port + "/webhook"))
                .chats(40).rate(100).redeliveryBackoff(Duration.ofMillis(200)).build();
        chats.start();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        try {
            if (chats != null) {
                chats.stop(Duration.ofSeconds(5));
            }
            Path plan = workspace.resolve("plan-1.0.0.yaml");
            if (Files.exists(plan)) {
                Platforms.tearDownLocal(PlanLoader.load(plan, secrets), StateOptions.local(workspace.resolve(".botshift")),
                        System.err);
            }
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    /** A demo plan made local to this test: absolute paths, a free router port, an approval gate before contract. */
    static Path plan(String demo, String name, Map<String, String> replace) throws IOException {
        Path sample = REPO.resolve("examples/sentiment-bot");
        String text = Files.readString(sample.resolve("demo").resolve(demo))
                .replace("../db/", sample.resolve("db") + "/")
                .replace("../target/sentiment-bot.jar", sample.resolve("target/sentiment-bot.jar").toString())
                .replace("listenPort: 8080", "listenPort: " + port);
        for (var e : replace.entrySet()) {
            if (!text.contains(e.getKey())) {
                throw new IllegalStateException(demo + " no longer says \"" + e.getKey() + "\": the test would not run what it says");
            }
            text = text.replace(e.getKey(), e.getValue());
        }
        Path file = workspace.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    static Map<String, WorkflowRunner.JobResult> runWorkflow(Path plan) throws Exception {
        Map<String, String> vars = new HashMap<>(secrets);
        vars.put("BOTSHIFT_PLAN", plan.toString());
        vars.put("BOTSHIFT_APP", APP);
        Workflow workflow = Workflow.read(REPO.resolve("pipelines/github/release.yml"));
        return new WorkflowRunner(workflow, workspace, JAR, vars).run(JOBS);
    }

    static JsonNode status() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "status", APP, "-o", "json").directory(workspace.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("BOTSHIFT_"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isZero();
        return new ObjectMapper().readTree(out);
    }

    @Test
    @Order(1)
    void aFaultyReleaseEndsInTheAbortPathWithExitCode3() throws Exception {
        Path faulty = plan("plan-v2-faulty.yaml", "plan-2.0.0-faulty.yaml", Map.of("approval: none", GATE));

        Map<String, WorkflowRunner.JobResult> jobs = runWorkflow(faulty);

        assertThat(jobs.get("deploy").status()).isEqualTo("failure");
        assertThat(jobs.get("deploy").lastExitCode()).isEqualTo(3);
        assertThat(jobs.get("promote").status()).isEqualTo("skipped");
        assertThat(jobs.get("abort").status()).isEqualTo("failure");
        assertThat(jobs.get("abort").lastExitCode()).isEqualTo(3);
        List<WorkflowRunner.StepResult> abort = jobs.get("abort").steps();
        assertThat(abort.get(abort.size() - 1).output()).contains("was rolled back");
        JsonNode s = status();
        assertThat(s.toString()).contains("ROLLED_BACK").doesNotContain("it-s3cret-pw");
    }

    @Test
    @Order(2)
    void theSameReleaseFixedIsAFreshAttemptThatStopsAtTheGateIsPromotedAndSucceeds() throws Exception {
        Map<String, String> fixes = new HashMap<>(QUICK);
        fixes.putAll(Map.of("release: 2.0.1", "release: 2.0.0", "approval: none", GATE));
        Path fixed = plan("plan-v2.yaml", "plan-2.0.0.yaml", fixes);

        Map<String, WorkflowRunner.JobResult> jobs = runWorkflow(fixed);

        assertThat(jobs.get("deploy").status()).isEqualTo("success");
        assertThat(jobs.get("deploy").outputs()).containsEntry("gate", "waiting");
        assertThat(jobs.get("deploy").steps()).anySatisfy(st -> assertThat(st.output()).contains("WAITING"));
        assertThat(jobs.get("promote").status()).isEqualTo("success");
        assertThat(jobs.get("promote").steps()).extracting(WorkflowRunner.StepResult::exitCode).containsOnly(0);
        assertThat(jobs.get("abort").status()).isEqualTo("skipped");
        JsonNode s = status();
        assertThat(s.toString()).contains("SUCCEEDED", "2.0.0");
        assertThat(s.findValue("attempt").asInt()).isEqualTo(2);
        for (var job : jobs.values()) {
            assertThat(job.steps()).allSatisfy(st -> assertThat(st.output()).doesNotContain("it-s3cret-pw"));
        }
    }
}
