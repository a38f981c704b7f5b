package dev.botshift.traffic.routerconfigmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.botshift.core.InvalidInputException;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A polling plan on Kubernetes runs only when the app's router Deployment can never run two pods at once, checked
 * on the shipped manifests applied to Fabric8's CRUD mock and edited as an admin might.
 */
@EnableKubernetesMockClient(crud = true)
class PollingRouterDeploymentTest {
    private static final Path MANIFESTS = Path.of(System.getProperty("botshift.repo", ".."), "manifests");
    private static final String NS = "bots";
    private static final String APP = "sentiment-bot";

    KubernetesClient client;

    private Deployment apply(String manifest) throws Exception {
        try (InputStream in = Files.newInputStream(MANIFESTS.resolve(manifest))) {
            Deployment d = client.apps().deployments().load(in).item();
            d.getMetadata().setNamespace(NS);
            return client.apps().deployments().inNamespace(NS).resource(d).create();
        }
    }

    private String refusal() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> PollingRouterDeployment.check(client, NS, APP));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.exitCode()).isEqualTo(2);
        return e.getMessage();
    }

    @Test
    void theShippedPollingRouterPassesAndAWebhookRouterAloneIsNoConsumer() throws Exception {
        assertThat(refusal()).startsWith("traffic.source telegram-polling: no Deployment in namespace bots labelled "
                + "app.kubernetes.io/part-of=sentiment-bot, app.kubernetes.io/component=router runs 'botshift router "
                + "--poll-token-env'").contains("apply manifests/router-polling/deployment.yaml");

        apply("router/deployment.yaml"); // the webhook router: takes webhooks, polls nothing
        assertThat(refusal()).contains("so nothing would poll for the bot");

        client.apps().deployments().inNamespace(NS).withName("sentiment-bot-router").delete();
        apply("router-polling/deployment.yaml");
        PollingRouterDeployment.check(client, NS, APP); // one replica, Recreate: passes
    }

    @Test
    void twoPodsAtOnceAreRefusedNamingTheDeploymentAndTheField() throws Exception {
        Deployment d = apply("router-polling/deployment.yaml");
        d.getSpec().setReplicas(2);
        d.getSpec().setStrategy(new DeploymentStrategyBuilder().withType("RollingUpdate").build());
        client.apps().deployments().inNamespace(NS).resource(d).update();

        assertThat(refusal()).contains("Deployment sentiment-bot-router: spec.replicas is 2, must be 1")
                .contains("Deployment sentiment-bot-router: spec.strategy.type is RollingUpdate, must be Recreate")
                .endsWith("(manifests/router-polling/deployment.yaml)");

        d = client.apps().deployments().inNamespace(NS).withName("sentiment-bot-router").get();
        d.getSpec().setReplicas(1);
        d.getSpec().setStrategy(null); // what a manifest without a strategy gets: a rolling update
        client.apps().deployments().inNamespace(NS).resource(d).update();
        assertThat(refusal()).contains("spec.strategy.type is RollingUpdate (the default), must be Recreate")
                .doesNotContain("spec.replicas");
    }

    @Test
    void twoPollingDeploymentsAreRefused() throws Exception {
        apply("router-polling/deployment.yaml");
        Deployment second = client.apps().deployments().inNamespace(NS).withName("sentiment-bot-router").get();
        second.getMetadata().setName("sentiment-bot-router-2");
        second.getMetadata().setResourceVersion(null);
        second.getMetadata().setUid(null);
        client.apps().deployments().inNamespace(NS).resource(second).create();

        assertThat(refusal()).contains("Deployments sentiment-bot-router and sentiment-bot-router-2 both poll: keep one");
    }

    @Test
    void anotherAppsRouterDoesNotCount() throws Exception {
        apply("router-polling/deployment.yaml");
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> PollingRouterDeployment.check(client, NS, "weather-bot"));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("part-of=weather-bot").contains("nothing would poll");
    }
}
