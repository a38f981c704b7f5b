package dev.botshift.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What makes the pipelines safe to run for real, read from the files: pinned actions, least privilege, secrets only
 * where a rollout runs, one run per app, environments on the jobs that move traffic; in Jenkins, an approval that
 * holds no executor, a named approver, a lock per app and a bound on the whole run.
 */
class PipelineHardeningTest {
    private static final Pattern USES = Pattern.compile("uses:\\s*([^\\s#]+)\\s*(#.*)?$");
    private static final List<String> ROLLOUT_JOBS = List.of("deploy", "promote", "abort");

    @Test
    void everyActionIsPinnedToACommitWithItsVersionInAComment() throws IOException {
        for (Path file : List.of(PipelineCommandsTest.WORKFLOW, PipelineCommandsTest.ACTION)) {
            List<String> uses = Files.readAllLines(file).stream().filter(l -> l.strip().startsWith("- uses:")
                    || l.strip().startsWith("uses:")).toList();
            assertThat(uses).as(file.toString()).isNotEmpty();
            for (String line : uses) {
                Matcher m = USES.matcher(line.strip().replaceFirst("^- ", ""));
                assertThat(m.matches()).as(line).isTrue();
                assertThat(m.group(1)).as(file + ": " + line).matches("[\\w.-]+/[\\w./-]+@[0-9a-f]{40}");
                assertThat(m.group(2)).as(file + ": the version next to " + line).matches("# v\\d+(\\.\\d+)*");
            }
        }
    }

    @Test
    void workflowGrantsReadOnlyAndGivesSecretsOnlyToTheJobsThatRollOut() throws IOException {
        Workflow w = Workflow.read(PipelineCommandsTest.WORKFLOW);
        JsonNode root = w.root();
        assertThat(root.path("permissions").toString()).isEqualTo("{\"contents\":\"read\"}");
        assertThat(root.path("env").toString()).doesNotContain("secrets.");
        assertThat(root.path("jobs").path("build").toString()).doesNotContain("secrets.");
        for (String job : ROLLOUT_JOBS) {
            JsonNode j = root.path("jobs").path(job);
            assertThat(j.path("env").toString()).as(job).contains("secrets.DB_PASSWORD");
            assertThat(j.path("environment").asText()).as(job + " moves production traffic").startsWith("production");
            assertThat(j.path("timeout-minutes").asInt()).as(job).isPositive();
            assertThat(j.toString()).as(job + " writes the kubeconfig").contains("secrets.KUBE_CONFIG", "GITHUB_ENV");
        }
        assertThat(root.path("jobs").path("promote").path("environment").asText())
                .as("the approval's environment differs from the deploy's, so its reviewers gate only the promotion")
                .isNotEqualTo(root.path("jobs").path("deploy").path("environment").asText());
    }

    @Test
    void workflowRunsOneReleasePerAppAndAbortsOnlyWhatItStarted() throws IOException {
        JsonNode root = Workflow.read(PipelineCommandsTest.WORKFLOW).root();
        assertThat(root.path("concurrency").path("group").asText()).contains("botshift-release-", "BOTSHIFT_APP");
        assertThat(root.path("concurrency").path("cancel-in-progress").asBoolean()).isFalse();
        assertThat(root.path("jobs").path("abort").path("if").asText())
                .isEqualTo("failure() && needs.deploy.outputs.started == 'true'");
    }

    @Test
    void jenkinsfileApprovesWithoutAnExecutorLocksTheAppAndBoundsTheRun() throws IOException {
        String jenkinsfile = Files.readString(PipelineCommandsTest.JENKINSFILE);
        String withoutComments = jenkinsfile.replaceAll("(?m)//.*$", "");
        assertThat(withoutComments).containsPattern("pipeline \\{\\s*agent none");
        assertThat(withoutComments).containsPattern("stage\\('Approval'\\) \\{\\s*agent none");
        assertThat(withoutComments).containsPattern("(?s)input \\{.{0,300}?submitter \"\\$\\{params.APPROVERS}\"");
        assertThat(withoutComments).contains("lock(resource: \"botshift-${params.APP}\")", "disableConcurrentBuilds()");
        assertThat(withoutComments).containsPattern("options \\{[^}]*timeout\\(time: \\d+, unit: 'HOURS'\\)");
        assertThat(withoutComments).contains("BOTSHIFT_NAMESPACE = \"${params.NAMESPACE}\"",
                "KUBECONFIG = credentials('botshift-kubeconfig')",
                "file(credentialsId: 'botshift-kubeconfig', variable: 'KUBECONFIG')");
        assertThat(withoutComments).doesNotContain("BOTSHIFT_STATE_DIR").doesNotContain("set -x");
        assertThat(JenkinsScripts.read(PipelineCommandsTest.JENKINSFILE).values())
                .allSatisfy(script -> assertThat(script).as("not traced by Jenkins").startsWith("#!/bin/bash\n"));
    }
}
