package dev.botshift.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ConflictsTest {
    KubernetesClient client;

    @Test
    void aWriteThatLostARaceIsRedoneOnFreshData() {
        client.configMaps().inNamespace("bots").resource(new ConfigMapBuilder().withNewMetadata().withName("cm")
                .endMetadata().addToData("n", "0").build()).create();
        AtomicInteger attempts = new AtomicInteger();

        ConfigMap written = Conflicts.retry(() -> {
            ConfigMap mine = client.configMaps().inNamespace("bots").withName("cm").get();
            if (attempts.incrementAndGet() == 1) { // someone else writes between our read and our write
                ConfigMap theirs = client.configMaps().inNamespace("bots").withName("cm").get();
                theirs.getData().put("other", "x");
                client.configMaps().inNamespace("bots").resource(theirs).update();
            }
            mine.getData().put("n", "1");
            return client.configMaps().inNamespace("bots").resource(mine).update();
        });

        assertThat(attempts).hasValue(2);
        assertThat(written.getData()).containsEntry("n", "1").containsEntry("other", "x");
    }

    @Test
    void givesUpAfterTheLastAttemptAndPassesOtherErrorsThrough() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> Conflicts.retry(() -> {
            attempts.incrementAndGet();
            throw new KubernetesClientException("conflict", 409, null);
        })).isInstanceOf(KubernetesClientException.class);
        assertThat(attempts).hasValue(Conflicts.ATTEMPTS);

        attempts.set(0);
        assertThatThrownBy(() -> Conflicts.retry(() -> {
            attempts.incrementAndGet();
            throw new KubernetesClientException("forbidden", 403, null);
        })).hasMessageContaining("forbidden");
        assertThat(attempts).hasValue(1);
    }
}
