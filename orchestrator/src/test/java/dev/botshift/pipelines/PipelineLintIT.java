package dev.botshift.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline files pass the tools their platforms trust: GitHub's own workflow and action parser
 * ({@code @actions/workflow-parser}, the schema behind GitHub's Actions language service) and
 * {@code npm-groovy-lint} (CodeNarc with its Jenkinsfile rules). Both come from {@code .ci/lint} ({@code npm ci},
 * which {@code .ci/run} does). Where they are not installed the test is skipped with the command to install them;
 * in CI ({@code CI} set) their absence fails it.
 */
class PipelineLintIT {
    static final Path REPO = PipelineCommandsTest.REPO;
    static final Path LINT = REPO.resolve(".ci/lint");

    @TempDir
    Path tmp;

    @BeforeAll
    static void toolsInstalled() {
        boolean installed = Files.isDirectory(LINT.resolve("node_modules/@actions/workflow-parser"))
                && Files.isDirectory(LINT.resolve("node_modules/npm-groovy-lint"));
        String why = "the pipeline linters are not installed: run 'npm ci --prefix .ci/lint' (Node.js 20 or newer)";
        if (System.getenv("CI") != null) {
            assertThat(installed).as(why + "; .ci/run does this").isTrue();
        }
        Assumptions.assumeTrue(installed, why);
    }

    record Result(int code, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static Result validate(Path workflow, Path action) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("node", LINT.resolve("validate-actions.mjs").toString()));
        if (workflow != null) {
            cmd.addAll(List.of("workflow", workflow.toString()));
        }
        if (action != null) {
            cmd.addAll(List.of("action", action.toString()));
        }
        return run(cmd);
    }

    private static Result groovyLint(Path jenkinsfile) throws IOException, InterruptedException {
        return run(List.of("node", LINT.resolve("node_modules/npm-groovy-lint/lib/index.js").toString(), "--noserver",
                "--failon", "info", "--config", REPO.resolve("pipelines/.groovylintrc.json").toString(),
                "--output", "txt", jenkinsfile.toString()));
    }

    @Test
    void workflowAndCompositeActionPassGithubsParser() throws Exception {
        Result r = validate(PipelineCommandsTest.WORKFLOW, PipelineCommandsTest.ACTION);
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).contains("2 file(s) checked, 0 problem(s)");
    }

    @Test
    void theParserRefusesABrokenWorkflowAndAction() throws Exception {
        String workflow = Files.readString(PipelineCommandsTest.WORKFLOW);
        // a schema error (checked first) and a dependency error (found by the converter), in separate files
        Path badSchema = tmp.resolve("schema.yml");
        Files.writeString(badSchema, workflow.replace("contents: read", "contents: reed"));
        Path badNeeds = tmp.resolve("needs.yml");
        Files.writeString(badNeeds, workflow.replace("needs: [deploy, promote]", "needs: [deploy, promte]"));
        Path action = tmp.resolve("action.yml");
        Files.writeString(action, Files.readString(PipelineCommandsTest.ACTION).replace("using: composite", "using: compost"));
        Result r = run(List.of("node", LINT.resolve("validate-actions.mjs").toString(), "workflow", badSchema.toString(),
                badNeeds.toString(), "action", action.toString()));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.output()).contains("depends on unknown job 'promte'", "Unexpected value 'reed'",
                "Unexpected value 'compost'");
    }

    @Test
    void jenkinsfilePassesNpmGroovyLintAndABrokenOneDoesNot() throws Exception {
        Result r = groovyLint(PipelineCommandsTest.JENKINSFILE);
        assertThat(r.code()).as(r.output()).isZero();
        Path broken = tmp.resolve("Jenkinsfile");
        String text = Files.readString(PipelineCommandsTest.JENKINSFILE);
        Files.writeString(broken, text.substring(0, text.lastIndexOf('}')));
        Result b = groovyLint(broken);
        assertThat(b.code()).as(b.output()).isNotZero();
        assertThat(b.output()).contains("error");
    }
}
