package dev.botshift.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/**
 * A Kubernetes API failure that reaches the CLI's last resort is said in one line with exit code 2 (the API
 * unreachable, credentials refused, a request its Role does not allow), never "internal error" with exit 1, which
 * {@code status --namespace} gave without a reachable cluster. {@code cli.KubernetesUnreachableTest} runs the command.
 */
class ApiFailuresTest {
    @Test
    void anApiThatCannotBeReachedIsNamedWithTheNetworksWords() {
        var e = new KubernetesClientException("Operation: [get]  for kind: [ConfigMap]  with name: [bot-botshift-state]"
                + "  in namespace: [bots]  failed.", new IOException("kubernetes.default.svc: Name or service not known",
                new UnknownHostException("kubernetes.default.svc: Name or service not known")));
        assertThat(ApiFailures.describe(new RuntimeException("wrapped", e))).hasValue("the Kubernetes API cannot be "
                + "reached (kubernetes.default.svc: Name or service not known): check the kubeconfig's current context "
                + "(or KUBECONFIG), or run where the cluster is reachable");
    }

    @Test
    void aRefusalSaysWhatTheApiSaid() {
        var forbidden = new KubernetesClientException(new StatusBuilder().withCode(403).withMessage("configmaps "
                + "\"bot-botshift-state\" is forbidden: User \"ci\" cannot get resource \"configmaps\" in the namespace "
                + "\"bots\"").build());
        assertThat(ApiFailures.describe(forbidden)).hasValue("the Kubernetes API refused the request (403): "
                + "configmaps \"bot-botshift-state\" is forbidden: User \"ci\" cannot get resource \"configmaps\" in the "
                + "namespace \"bots\"; the CLI's Role is manifests/rbac.yaml (docs/kubernetes.md)");
        assertThat(ApiFailures.describe(new KubernetesClientException(new StatusBuilder().withCode(401).build())))
                .hasValueSatisfying(s -> assertThat(s).startsWith("the Kubernetes API did not accept the credentials"));
        assertThat(ApiFailures.describe(new IllegalStateException("no slot"))).as("not the API's").isEmpty();
    }
}
