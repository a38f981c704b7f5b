package dev.botshift.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.botshift.kubernetes.testing.MockCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one create-or-update: a closed result, no write when nothing changes, a concurrent write starts it over. */
class ReconcileTest extends MockCluster {
    private Reconciled<ConfigMap> put(String value) {
        return Reconcile.createOrUpdate(client.configMaps().inNamespace(NS), "cm",
                () -> new ConfigMapBuilder().withNewMetadata().withName("cm").endMetadata().addToData("k", value).build(),
                current -> {
                    current.getData().put("k", value);
                    return current;
                });
    }

    @Test
    void createdThenNoopThenPatched() {
        Reconciled<ConfigMap> created = put("1");
        assertThat(created).isInstanceOf(Reconciled.Created.class);
        String version = created.object().getMetadata().getResourceVersion();

        Reconciled<ConfigMap> same = put("1");
        assertThat(same).isInstanceOf(Reconciled.Noop.class);
        assertThat(client.configMaps().inNamespace(NS).withName("cm").get().getMetadata().getResourceVersion())
                .as("nothing written").isEqualTo(version);

        Reconciled<ConfigMap> changed = put("2");
        assertThat(changed).isInstanceOf(Reconciled.Patched.class);
        assertThat(client.configMaps().inNamespace(NS).withName("cm").get().getData()).containsEntry("k", "2");
    }

    @Test
    void aWriteInBetweenIsAConflictAndTheWholeReadModifyWriteRunsAgain() {
        put("1");
        AtomicInteger runs = new AtomicInteger();
        Reconciled<ConfigMap> result = Reconcile.createOrUpdate(client.configMaps().inNamespace(NS), "cm", () -> null,
                current -> {
                    if (runs.incrementAndGet() == 1) { // someone else writes after our read
                        ConfigMap other = client.configMaps().inNamespace(NS).withName("cm").get();
                        other.getData().put("other", "x");
                        client.configMaps().inNamespace(NS).resource(other).update();
                    }
                    current.getData().put("k", "mine");
                    return current;
                });
        assertThat(runs).hasValue(2);
        assertThat(result).isInstanceOf(Reconciled.Patched.class);
        assertThat(client.configMaps().inNamespace(NS).withName("cm").get().getData())
                .containsEntry("k", "mine").containsEntry("other", "x");
    }

    @Test
    void anObjectThatMustExistIsRefusedWithTheCallersException() {
        assertThatThrownBy(() -> Reconcile.update(client.configMaps().inNamespace(NS), "absent",
                () -> new IllegalStateException("absent is missing"), c -> c))
                .isInstanceOf(IllegalStateException.class).hasMessage("absent is missing");
    }
}
