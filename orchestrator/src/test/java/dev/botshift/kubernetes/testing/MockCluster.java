package dev.botshift.kubernetes.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test against Fabric8's mock API server in CRUD mode: a fresh cluster for every test, the app's objects in the
 * namespace {@link #NS}. Fabric8's extension finds the annotation and the {@link #client} and {@link #server} fields on
 * this superclass.
 */
@EnableKubernetesMockClient(crud = true)
public abstract class MockCluster {
    protected static final String NS = "bots";
    protected KubernetesClient client;
    /** The mock server behind {@link #client}: tests that check the requests made read them here. */
    protected KubernetesMockServer server;

    /** Creates in {@link #NS} the object a manifest the repository ships describes, as a user would apply it. */
    protected <T extends HasMetadata> T createShipped(String manifest, Class<T> type) throws IOException {
        Path path = Path.of(System.getProperty("botshift.repo", ".."), manifest);
        try (InputStream in = Files.newInputStream(path)) {
            T object = Serialization.unmarshal(in, type);
            object.getMetadata().setNamespace(NS);
            return client.resource(object).inNamespace(NS).create();
        }
    }
}
