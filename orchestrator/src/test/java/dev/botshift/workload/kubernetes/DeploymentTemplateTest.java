package dev.botshift.workload.kubernetes;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Deployment template ({@code workload.kubernetes.template}) that is not valid YAML is refused naming the file, line,
 * column and problem, never quoting the line: a template's environment may hold a literal value (a token, a
 * password) that the parser's own message copied into the deploy's output.
 */
class DeploymentTemplateTest {
    @TempDir
    Path dir;

    @Test
    void aMalformedTemplateIsNamedByLineAndProblemWithoutItsText() throws IOException {
        Path template = Files.writeString(dir.resolve("deployment.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                spec:
                  template:
                    spec:
                      containers:
                        - name: bot
                          env:
                            - {name: API_TOKEN, value: "s3cr3t-token
                """);
        assertThatThrownBy(() -> DeploymentTemplate.load(template))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(template + ": workload.kubernetes.template is not a valid manifest: line ")
                .hasMessageContaining("malformed YAML")
                .message().doesNotContain("s3cr3t");
    }

    /**
     * An environment entry without a name (a template edited by hand) is refused when the template is read: before,
     * rendering green's Deployment crashed on it (found by mutating the built-in template).
     */
    @Test
    void anEnvironmentEntryWithoutANameIsRefusedWhenRead() throws IOException {
        String builtIn = Files.readString(dev.botshift.platform.KubernetesPlans.REPO.resolve("manifests/bot/deployment.yaml"));
        Path template = Files.writeString(dir.resolve("deployment.yaml"), builtIn.replace("- name: DB_USER", "- name: null"));
        assertThatThrownBy(() -> DeploymentTemplate.load(template))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageMatching(".*deployment.yaml: workload.kubernetes.template: spec.template.spec.containers\\[0\\]"
                        + "\\.env\\[\\d+\\] has no name");
    }
}
