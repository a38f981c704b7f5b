package dev.botshift.traffic.routerconfigmap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.botshift.core.Weights;
import dev.botshift.kubernetes.testing.MockCluster;
import dev.botshift.traffic.WeightCheck;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterConfigMapRouterTest extends MockCluster {

    @Test
    void writesTheRouterDocumentAndReadsItBack() throws Exception {
        var router = new RouterConfigMapRouter(client, NS, "sentiment-bot", 8080, "$.message.chat.id");
        assertThat(router.verify(new Weights(100, 0))).isInstanceOf(WeightCheck.Unknown.class);

        router.setWeights(new Weights(90, 10));
        router.setWeights(new Weights(75, 25));

        ConfigMap cm = client.configMaps().inNamespace(NS).withName("sentiment-bot-botshift-router").get();
        JsonNode doc = new ObjectMapper().readTree(cm.getData().get("config.json"));
        assertThat(doc.path("weights").path("a").asInt()).isEqualTo(75);
        assertThat(doc.path("weights").path("b").asInt()).isEqualTo(25);
        assertThat(doc.path("backends").path("b").get(0).asText()).isEqualTo("http://sentiment-bot-b:8080");
        assertThat(doc.path("backends").path("a").get(0).asText()).isEqualTo("http://sentiment-bot-a:8080");
        assertThat(doc.path("stickyBy").asText()).isEqualTo("$.message.chat.id");
        assertThat(router.verify(new Weights(75, 25))).isEqualTo(new WeightCheck.Matches());
        assertThat(router.verify(new Weights(50, 50))).isEqualTo(new WeightCheck.Differs(new Weights(75, 25)));
    }

    @Test
    void keepsOtherKeysOfTheConfigMap() {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("sentiment-bot-botshift-router").endMetadata()
                .withData(Map.of("listen", ":8080")).build()).create();
        new RouterConfigMapRouter(client, NS, "sentiment-bot", 8080, null).setWeights(new Weights(0, 100));
        assertThat(client.configMaps().inNamespace(NS).withName("sentiment-bot-botshift-router").get().getData())
                .containsEntry("listen", ":8080").containsKey("config.json");
    }
}
