package dev.botshift.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every exit code through both pipelines' own shell steps, with {@link FakeBotshift} answering each command: the
 * GitHub workflow's jobs run by {@link WorkflowRunner}, the Jenkinsfile's labelled {@code sh} steps in the order its
 * stages run them. The rule under test: the failure path rolls back only the rollout this run started, named by
 * release and attempt, and never after exit 2 (refused: nothing started) or 5 (another run holds the lock).
 * The cases run two at a time (the only IT that does: each is short shell steps and JVM starts of the fake, in its
 * own directory; the failsafe configuration allows concurrency only where a class asks for it).
 */
@Execution(ExecutionMode.CONCURRENT)
class PipelineExitCodesIT {
    static final Path REPO = PipelineCommandsTest.REPO;
    static final List<String> OWN = List.of("--release", FakeBotshift.RELEASE, "--attempt", Integer.toString(FakeBotshift.ATTEMPT));

    @TempDir
    static Path shared;
    static Path fakeJar;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildTheFake() throws IOException {
        fakeJar = FakeBotshift.jar(shared);
    }

    /**
     * @param codes     what each command answers (see {@link FakeBotshift})
     * @param deploy    the deploy job's (and stage's) end
     * @param promoted  whether the promote job ran
     * @param aborted   whether {@code botshift abort} was called (always with this run's release and attempt)
     * @param abortExit the abort job's exit code, or null when it was skipped
     */
    record Case(String name, String codes, String deploy, boolean promoted, boolean aborted, Integer abortExit) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("deploy 0: no gate, done", "deploy=0", "success", false, false, null),
                new Case("deploy 1: internal error, own rollout rolled back", "deploy=1 status=6 abort=3", "failure", false, true, 3),
                new Case("deploy 2: refused, nothing of ours to roll back", "deploy=2 status=6", "failure", false, false, null),
                new Case("deploy 3: rolled back by itself", "deploy=3 status=3", "failure", false, false, 3),
                new Case("deploy 4: gate, promoted, succeeded", "deploy=4", "success", true, false, null),
                new Case("deploy 5: locked by another run, left alone", "deploy=5 status=6", "failure", false, false, null),
                new Case("deploy 6: timed out, own rollout rolled back by the running deploy",
                        "deploy=6 status=6,3 abort=0", "failure", false, true, 3),
                new Case("watch 3 after promotion: rolled back by the supervisor, nothing more to do",
                        "deploy=4 status=0,3,3", "success", true, false, 3),
                new Case("watch 7 after promotion: failed, own rollout aborted", "deploy=4 status=0,7,6 abort=3",
                        "success", true, true, 3),
                new Case("watch 6 after promotion: past the contract, abort refused", "deploy=4 status=0,6,6 abort=2",
                        "success", true, true, 2),
                new Case("promote 6: unanswered, own rollout aborted", "deploy=4 promote=6 status=0,6 abort=3",
                        "success", true, true, 3),
                new Case("promote 2, the open rollout is another run's: refused, not rolled back",
                        "deploy=4 promote=2 status=0,2", "success", true, false, 2))
                .map(Arguments::of);
    }

    private Map<String, String> fakeEnv(Case c) {
        Map<String, String> env = new HashMap<>();
        env.put("FAKE_BOTSHIFT_CODES", c.codes());
        env.put("FAKE_BOTSHIFT_LOG", dir.resolve("calls.log").toString());
        env.put("BOTSHIFT_APP", "my-bot");
        env.put("BOTSHIFT_PLAN", "deploy/plan.yaml");
        return env;
    }

    private List<List<String>> calls() throws IOException {
        return FakeBotshift.calls(dir.resolve("calls.log"));
    }

    private void assertCalls(Case c) throws IOException {
        List<List<String>> calls = calls();
        String all = FakeBotshift.describe(calls);
        assertThat(calls).as(all).noneSatisfy(call -> assertThat(call).contains("does not parse"));
        List<List<String>> aborts = calls.stream().filter(call -> call.get(0).equals("abort")).toList();
        if (c.aborted()) {
            assertThat(aborts).as(all).singleElement().satisfies(a -> assertThat(a).containsSubsequence(OWN));
        } else {
            assertThat(aborts).as(all).isEmpty();
        }
        // every status the failure path asks, the promotion and the final watch are about this run's rollout only
        calls.stream().filter(call -> call.contains("--until=ended") || call.contains("--until=succeeded")
                        || call.get(0).equals("promote"))
                .forEach(call -> assertThat(call).as(all).containsSubsequence(OWN));
        assertThat(calls).as("the supervisor finishes a promoted rollout: " + all)
                .noneSatisfy(call -> assertThat(call.get(0)).isEqualTo("resume"));
        if (c.codes().startsWith("deploy=2") || c.codes().startsWith("deploy=5")) {
            assertThat(calls).as("after exit 2 or 5 nothing but plan and deploy: " + all)
                    .extracting(call -> call.get(0)).containsExactly("plan", "deploy");
        }
    }

    @ParameterizedTest(name = "GitHub: {0}")
    @MethodSource("cases")
    void githubWorkflow(Case c) throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("workspace"));
        Workflow workflow = Workflow.read(PipelineCommandsTest.WORKFLOW);
        Map<String, WorkflowRunner.JobResult> jobs = new WorkflowRunner(workflow, workspace, fakeJar, fakeEnv(c))
                .run(List.of("deploy", "promote", "abort"));

        assertThat(jobs.get("deploy").status()).isEqualTo(c.deploy());
        assertThat(jobs.get("promote").status()).isEqualTo(c.promoted() ? (c.abortExit() == null ? "success" : "failure") : "skipped");
        if (c.abortExit() == null) {
            assertThat(jobs.get("abort").status()).isEqualTo("skipped");
        } else {
            assertThat(jobs.get("abort").status()).isEqualTo(c.abortExit() == 0 ? "success" : "failure");
            assertThat(jobs.get("abort").lastExitCode()).isEqualTo(c.abortExit());
        }
        assertCalls(c);
    }

    @ParameterizedTest(name = "Jenkins: {0}")
    @MethodSource("cases")
    void jenkinsfile(Case c) throws Exception {
        Map<String, String> scripts = JenkinsScripts.read(PipelineCommandsTest.JENKINSFILE);
        assertThat(scripts).containsOnlyKeys("Deploy to the gate", "Promote and finish", "Roll back this run's rollout");
        Path workspace = Files.createDirectories(dir.resolve("jenkins"));
        Files.createDirectories(workspace.resolve("orchestrator/target"));
        Files.copy(fakeJar, workspace.resolve("orchestrator/target/botshift.jar"), StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> env = fakeEnv(c);

        // the Groovy around the steps: deploy; on 4 the approval and the promotion; a failed build rolls back
        // only when the deploy step recorded a release
        int deploy = sh(workspace, scripts.get("Deploy to the gate"), env).code();
        assertThat(deploy == 0 || deploy == 4 ? "success" : "failure").isEqualTo(c.deploy());
        boolean failed = deploy != 0 && deploy != 4;
        Path release = workspace.resolve(".botshift-run/release");
        if (Files.exists(release)) { // env.BOTSHIFT_RELEASE and _ATTEMPT, as the Groovy sets them after the deploy
            env.put("BOTSHIFT_RELEASE", Files.readString(release));
            env.put("BOTSHIFT_ATTEMPT", Files.readString(workspace.resolve(".botshift-run/attempt")));
        }
        if (deploy == 4) {
            failed = sh(workspace, scripts.get("Promote and finish"), env).code() != 0;
        }
        if (failed && Files.exists(release)) {
            Sh abort = sh(workspace, scripts.get("Roll back this run's rollout"), env);
            assertThat(abort.code()).as(abort.output()).isEqualTo(c.abortExit());
        } else {
            assertThat(c.abortExit()).as("the failure path ran in the workflow but not here").isNull();
        }
        assertCalls(c);
    }

    @Test
    void githubWritesTheKubeconfigSecretForKubernetesPlansOnlyAndRefusesWithoutIt() throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("workspace"));
        Workflow workflow = Workflow.read(PipelineCommandsTest.WORKFLOW);
        Case ok = new Case("kubernetes", "deploy=0", "success", false, false, null);
        Map<String, String> env = fakeEnv(ok);
        env.put("BOTSHIFT_NAMESPACE", "bots");
        env.put("KUBE_CONFIG", "apiVersion: v1\nkind: Config\n# test-cluster\n");
        var jobs = new WorkflowRunner(workflow, workspace, fakeJar, env).run(List.of("deploy"));
        assertThat(jobs.get("deploy").status()).isEqualTo("success");
        assertThat(Files.readString(Path.of(dir.resolve("calls.log") + ".kubeconfig"))).contains("# test-cluster");

        env.put("KUBE_CONFIG", "");
        Files.delete(dir.resolve("calls.log"));
        jobs = new WorkflowRunner(workflow, workspace, fakeJar, env).run(List.of("deploy", "promote", "abort"));
        assertThat(jobs.get("deploy").status()).isEqualTo("failure");
        assertThat(jobs.get("deploy").lastExitCode()).isEqualTo(2);
        assertThat(jobs.get("deploy").steps()).anySatisfy(s -> assertThat(s.output()).contains("KUBE_CONFIG secret is empty"));
        assertThat(jobs.get("abort").status()).isEqualTo("skipped");
        assertThat(calls()).isEmpty();
    }

    record Sh(int code, String output) {
    }

    private Sh sh(Path workspace, String script, Map<String, String> env) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "sh-", ".sh");
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
        ProcessBuilder pb = new ProcessBuilder(file.toString()).directory(workspace.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("BOTSHIFT_") || k.startsWith("FAKE_"));
        pb.environment().putAll(env);
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
                + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        int code = p.waitFor();
        System.out.println("[jenkins sh] exit " + code + "\n" + out.indent(4));
        return new Sh(code, out);
    }
}
