package dev.botshift.traffic.serviceselector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.Slot;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.Weights;
import dev.botshift.kubernetes.testing.MockCluster;
import dev.botshift.traffic.WeightCheck;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceSelectorRouterTest extends MockCluster {
    private ServiceSelectorRouter router;

    @BeforeEach
    void createAppService() {
        client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("sentiment-bot")
                .endMetadata().withNewSpec()
                .withSelector(Map.of("app.kubernetes.io/name", "sentiment-bot", "botshift.dev/slot", "a"))
                .addNewPort().withPort(80).withNewTargetPort("http").endPort().endSpec().build()).create();
        router = new ServiceSelectorRouter(client, NS, "sentiment-bot", "sentiment-bot");
    }

    @Test
    void switchesTheSelectorAllAtOnceKeepingTheOtherLabels() {
        assertThat(router.verify(Weights.allTo(Slot.B)))
                .isEqualTo(new WeightCheck.Differs(Weights.allTo(Slot.A)));

        router.setWeights(Weights.allTo(Slot.B));

        assertThat(client.services().inNamespace(NS).withName("sentiment-bot").get().getSpec().getSelector())
                .isEqualTo(Map.of("app.kubernetes.io/name", "sentiment-bot", "botshift.dev/slot", "b"));
        assertThat(router.verify(Weights.allTo(Slot.B))).isEqualTo(new WeightCheck.Matches());
    }

    @Test
    void refusesAPartialSplitAndChangesNothing() {
        assertThatThrownBy(() -> router.setWeights(new Weights(75, 25))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("all at once");
        assertThat(router.verify(Weights.allTo(Slot.A))).isEqualTo(new WeightCheck.Matches());
        // a plan with such steps is refused when it is loaded: RefusedPlanTest, 'k8s service-selector steps'
    }

    @Test
    void aServiceThatDoesNotSelectTheAppOrNamesNoColourIsNotVerified() {
        var service = client.services().inNamespace(NS).withName("sentiment-bot").get();
        service.getSpec().setSelector(Map.of("botshift.dev/slot", "a"));
        client.services().inNamespace(NS).resource(service).update();
        WeightCheck anyApp = router.verify(Weights.allTo(Slot.A));
        assertThat(anyApp).isInstanceOf(WeightCheck.Unknown.class);
        assertThat(((WeightCheck.Unknown) anyApp).why()).contains("app.kubernetes.io/name=sentiment-bot");

        service = client.services().inNamespace(NS).withName("sentiment-bot").get();
        service.getSpec().setSelector(Map.of("app.kubernetes.io/name", "sentiment-bot", "botshift.dev/slot", "purple"));
        client.services().inNamespace(NS).resource(service).update();
        WeightCheck noColour = router.verify(Weights.allTo(Slot.A));
        assertThat(noColour).isInstanceOf(WeightCheck.Unknown.class);
        assertThat(((WeightCheck.Unknown) noColour).why()).contains("purple");
    }

    @Test
    void settingTheSplitAlreadyInForceWritesNothing() {
        String before = client.services().inNamespace(NS).withName("sentiment-bot").get().getMetadata().getResourceVersion();
        router.setWeights(Weights.allTo(Slot.A));
        assertThat(client.services().inNamespace(NS).withName("sentiment-bot").get().getMetadata().getResourceVersion())
                .isEqualTo(before);
    }
}
