package dev.botshift.traffic.gatewayapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.Slot;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.Weights;
import dev.botshift.kubernetes.testing.MockCluster;
import dev.botshift.traffic.WeightCheck;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpRouteRouterTest extends MockCluster {
    private HttpRouteRouter router;

    @BeforeEach
    void createRouteFromTheShippedManifest() throws Exception {
        createShipped("manifests/gateway-api/httproute.yaml", HTTPRoute.class);
        router = new HttpRouteRouter(client, NS, "sentiment-bot", "sentiment-bot", 8080);
    }

    private Map<String, Integer> weightsOnTheRoute() {
        HTTPRoute route = client.resources(HTTPRoute.class).inNamespace(NS).withName("sentiment-bot").get();
        return route.getSpec().getRules().get(0).getBackendRefs().stream()
                .collect(Collectors.toMap(HTTPBackendRef::getName, HTTPBackendRef::getWeight));
    }

    private void gatewayReports(String accepted) {
        gatewayReports("public", accepted, true);
    }

    /** What a Gateway controller writes for one parent: Accepted and ResolvedRefs, dated or not. */
    private void gatewayReports(String parent, String accepted, boolean dated) {
        HTTPRoute route = client.resources(HTTPRoute.class).inNamespace(NS).withName("sentiment-bot").get();
        Long generation = dated ? route.getMetadata().getGeneration() : null;
        route.setStatus(new HTTPRouteStatusBuilder().addNewParent().withControllerName("example.test/gateway")
                .withNewParentRef().withName(parent).endParentRef()
                .withConditions(new ConditionBuilder().withType("Accepted").withStatus(accepted).withReason("Test")
                                .withObservedGeneration(generation).build(),
                        new ConditionBuilder().withType("ResolvedRefs").withStatus("True").withReason("Test")
                                .withObservedGeneration(generation).build())
                .endParent().build());
        client.resources(HTTPRoute.class).inNamespace(NS).resource(route).updateStatus();
    }

    @Test
    void setsBackendWeightsAndVerifiesThemOnceTheGatewayAccepted() {
        router.setWeights(new Weights(75, 25));

        assertThat(weightsOnTheRoute()).isEqualTo(Map.of("sentiment-bot-a", 75, "sentiment-bot-b", 25));
        assertThat(router.verify(new Weights(75, 25))).isInstanceOf(WeightCheck.Unknown.class);
        gatewayReports("True");
        assertThat(router.verify(new Weights(75, 25))).isEqualTo(new WeightCheck.Matches());
        assertThat(router.verify(new Weights(50, 50))).isEqualTo(new WeightCheck.Differs(new Weights(75, 25)));

        router.setWeights(Weights.allTo(Slot.B));
        assertThat(weightsOnTheRoute()).isEqualTo(Map.of("sentiment-bot-a", 0, "sentiment-bot-b", 100));
    }

    @Test
    void aRefusingGatewayMakesTheAnswerUnknown() {
        router.setWeights(new Weights(50, 50));
        gatewayReports("False");
        WeightCheck check = router.verify(new Weights(50, 50));
        assertThat(check).isInstanceOf(WeightCheck.Unknown.class);
        assertThat(((WeightCheck.Unknown) check).why()).contains("Accepted=False");
    }

    @Test
    void aMissingRouteIsInvalidInputNamingIt() {
        HttpRouteRouter missing = new HttpRouteRouter(client, NS, "sentiment-bot", "nope", 8080);
        assertThatThrownBy(() -> missing.setWeights(new Weights(50, 50)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("traffic.resource")
                .hasMessageContaining("bots/nope");
    }

    @Test
    void everyParentMustReportForTheCurrentGeneration() {
        router.setWeights(new Weights(50, 50));
        gatewayReports("another-gateway", "True", true);
        WeightCheck otherParent = router.verify(new Weights(50, 50));
        assertThat(otherParent).isInstanceOf(WeightCheck.Unknown.class);
        assertThat(((WeightCheck.Unknown) otherParent).why()).contains("parent public", "has not reported");

        gatewayReports("public", "True", false);
        WeightCheck undated = router.verify(new Weights(50, 50));
        assertThat(undated).isInstanceOf(WeightCheck.Unknown.class);
        assertThat(((WeightCheck.Unknown) undated).why()).contains("has not reported Accepted for generation");

        gatewayReports("public", "True", true);
        assertThat(router.verify(new Weights(50, 50))).isEqualTo(new WeightCheck.Matches());
        router.setWeights(new Weights(25, 75)); // a new generation: the old report no longer counts
        assertThat(router.verify(new Weights(25, 75))).isInstanceOf(WeightCheck.Unknown.class);
    }

    @Test
    void settingTheSplitInForceWritesNothing() {
        router.setWeights(new Weights(50, 50));
        HTTPRoute before = client.resources(HTTPRoute.class).inNamespace(NS).withName("sentiment-bot").get();
        router.setWeights(new Weights(50, 50));
        assertThat(client.resources(HTTPRoute.class).inNamespace(NS).withName("sentiment-bot").get().getMetadata()
                .getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
    }
}
