package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.core.InvalidInputException;
import dev.botshift.core.Slot;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The in-cluster router's rule: Services of its own namespace, and its pod's loopback, over plain HTTP. */
class BackendPolicyTest {
    @ParameterizedTest
    @ValueSource(strings = {"http://sentiment-bot-a:8080", "http://127.0.0.1:9000", "http://b:80"})
    void aServiceOfItsOwnNamespaceOrItsLoopbackIsAccepted(String backend) {
        RouterConfig config = RouterConfig.initial().withBackends(Slot.B, List.of(URI.create(backend)));
        assertThat(BackendPolicy.CLUSTER_SERVICE.check(config, "ConfigMap")).isSameAs(config);
    }

    /** https among them: the webhook port speaks no TLS to the bots, so every webhook would be a 502. */
    @ParameterizedTest
    @ValueSource(strings = {"https://sentiment-bot-a:8443", "http://bot.other-namespace:80", "http://10.0.0.7:8080",
            "http://bot-a:8080/?next=x"})
    void anythingElseIsRefusedNamingTheField(String backend) {
        RouterConfig config = RouterConfig.initial().withBackends(Slot.B, List.of(URI.create(backend)));
        assertThatThrownBy(() -> BackendPolicy.CLUSTER_SERVICE.check(config, "ConfigMap"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("ConfigMap: field backends.b: " + backend);
    }
}
