package dev.botshift.traffic.router.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.kubernetes.ApiAccess;
import dev.botshift.kubernetes.testing.ApiRequests;
import dev.botshift.kubernetes.testing.Eventually;
import dev.botshift.kubernetes.testing.QuietMockServer;
import dev.botshift.os.JdkHttpServer;
import dev.botshift.traffic.router.BotshiftRouterClient;
import dev.botshift.cli.RouterCommand;
import dev.botshift.traffic.router.AdminAccess;
import dev.botshift.traffic.router.BackendPolicy;
import dev.botshift.traffic.router.RouterServer;
import dev.botshift.traffic.router.WebhookVerifier;
import dev.botshift.traffic.routerconfigmap.RouterConfigMapRouter;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The in-cluster router reading its split from the ConfigMap through an informer, on the CRUD mock. */
@EnableKubernetesMockClient(crud = true)
class ConfigMapRouterConfigSourceTest {
    private static final String NS = "bots";
    private static final String NAME = "sentiment-bot-botshift-router";
    private static final Path MANIFESTS = Path.of(System.getProperty("botshift.repo", ".."), "manifests");

    private static final Set<ApiAccess.Grant> OBSERVED = new HashSet<>();
    KubernetesClient client;
    KubernetesMockServer server;
    private KubernetesClient admin;
    private final List<HttpServer> backends = new ArrayList<>();
    /** As {@code botshift router --configmap} guards itself. */
    static final RouterServer.Guards IN_CLUSTER = new RouterServer.Guards(
            new AdminAccess.ReadOnly("the config comes from ConfigMap " + NS + "/" + NAME), BackendPolicy.CLUSTER_SERVICE,
            new WebhookVerifier.None());

    private ConfigMapRouterConfigSource source;
    private RouterServer router;

    @BeforeEach
    void applyTheShippedConfigMap() throws Exception {
        QuietMockServer.warningsOnly();
        admin = ApiRequests.fixtureClient(client);
        try (InputStream in = Files.newInputStream(MANIFESTS.resolve("router/configmap.yaml"))) {
            for (HasMetadata o : admin.load(in).items()) {
                admin.resource(o).inNamespace(NS).create();
            }
        }
    }

    /**
     * The mock server goes first, while the client still answers; then the router (and its source) and our own
     * client. The extension closes {@code client} after the server too: the order the extension keeps by itself.
     * The other way round failed now and then: the CRUD mock (Vert.x) sometimes never completes a close that the
     * client starts (the informer's WebSocket close frame, or the client's own close; its sockets were left in
     * CLOSE-WAIT with the client's bytes unread), and its shutdown then waits out the 10 s WebSocket closing timeout:
     * "Unable to close MockWebServer". Measured over 40 teardowns each: source, clients, then server: 11 took 10 s;
     * the server first: none (all under 70 ms).
     */
    @AfterEach
    void stop() throws InterruptedException {
        OBSERVED.addAll(ApiRequests.drain(server)); // everything the router asked for; closing it asks nothing
        server.destroy();
        if (router != null) {
            router.stop(); // closes the source too
        } else if (source != null) {
            source.close();
        }
        backends.forEach(b -> b.stop(0));
        admin.close();
    }

    /** RBAC from real usage: every request the router made is within its Role (the fixtures use their own client). */
    @AfterAll
    static void routerUsedOnlyWhatItsRoleGrants() {
        assertThat(OBSERVED).isNotEmpty().isSubsetOf(ConfigMapRouterConfigSource.API_ACCESS);
    }

    private String backend(String answer) throws Exception {
        HttpServer s = JdkHttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/", exchange -> {
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        s.start();
        backends.add(s);
        return "http://127.0.0.1:" + s.getAddress().getPort();
    }

    private void writeConfig(String json) {
        ConfigMap map = admin.configMaps().inNamespace(NS).withName(NAME).get();
        map.getData().put(ConfigMapRouterConfigSource.KEY, json);
        admin.configMaps().inNamespace(NS).resource(map).update();
    }

    private String post(String chat) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(router.listenUri().resolve("/webhook"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":{\"chat\":{\"id\":" + chat + "}}}")).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private ConfigMapRouterConfigSource open() {
        source = ConfigMapRouterConfigSource.open(client, NS, NAME);
        Eventually.await(Duration.ofSeconds(10), "router config informer watching", source::watching);
        return source;
    }

    @Test
    void startsFromTheShippedConfigMap() {
        ConfigMapRouterConfigSource s = open();
        assertThat(s.current().weights()).isEqualTo(Weights.allTo(Slot.A));
        assertThat(s.current().backendsOf(Slot.B)).containsExactly(URI.create("http://sentiment-bot-b:8080"));
        assertThat(s.current().stickyBy()).isEqualTo("telegram");
    }

    @Test
    void aChangedConfigMapMovesTrafficInARunningRouterWithoutARestart() throws Exception {
        String blue = backend("blue");
        String green = backend("green");
        writeConfig("{\"weights\":{\"a\":100,\"b\":0},\"backends\":{\"a\":[\"" + blue + "\"],"
                + "\"b\":[\"" + green + "\"]},\"stickyBy\":\"$.message.chat.id\"}");
        router = new RouterServer(open(), 0, 0, IN_CLUSTER).start();
        assertThat(post("1")).isEqualTo("blue");

        writeConfig("{\"weights\":{\"a\":0,\"b\":100},\"backends\":{\"a\":[\"" + blue + "\"],"
                + "\"b\":[\"" + green + "\"]},\"stickyBy\":\"$.message.chat.id\"}");

        Eventually.await(Duration.ofSeconds(10), "router follows the ConfigMap",
                () -> source.current().weights().equals(Weights.allTo(Slot.B)));
        for (int chat = 0; chat < 5; chat++) {
            assertThat(post(Integer.toString(chat))).isEqualTo("green");
        }
        assertThat(new BotshiftRouterClient(URI.create("http://127.0.0.1:" + router.adminPort())).config().weights())
                .isEqualTo(Weights.allTo(Slot.B));
    }

    @Test
    void followsWhatTheOrchestratorsAdapterWrites() {
        ConfigMapRouterConfigSource s = open();
        RouterConfigMapRouter orchestrator = new RouterConfigMapRouter(admin, NS, "sentiment-bot", 8080,
                "$.message.chat.id");

        orchestrator.setWeights(new Weights(75, 25));

        Eventually.await(Duration.ofSeconds(10), "source sees 75/25",
                () -> s.current().weights().equals(new Weights(75, 25)));
    }

    @Test
    void anUnreadableDocumentIsIgnoredAndTheLastGoodConfigStays() {
        ConfigMapRouterConfigSource s = open();
        writeConfig("{\"weights\":{\"a\":70,\"b\":70}}");
        writeConfig("{\"weights\":{\"a\":40,\"b\":60}}");
        Eventually.await(Duration.ofSeconds(10), "the valid change after the bad one",
                () -> s.current().weights().equals(new Weights(40, 60)));
        writeConfig("not json");
        assertThat(s.current().weights()).isEqualTo(new Weights(40, 60));
    }

    @Test
    void theAdminApiReadsButNeverChangesTheSplit() {
        router = new RouterServer(open(), 0, 0, IN_CLUSTER).start();
        String before = admin.configMaps().inNamespace(NS).withName(NAME).get().getData()
                .get(ConfigMapRouterConfigSource.KEY);
        BotshiftRouterClient client = new BotshiftRouterClient(URI.create("http://127.0.0.1:" + router.adminPort()));

        assertThat(client.config().weights()).as("reads are open on the pod's loopback").isEqualTo(Weights.allTo(Slot.A));
        assertThatThrownBy(() -> client.setWeights(new Weights(50, 50)))
                .hasMessageContaining("405").hasMessageContaining("read-only").hasMessageContaining("ConfigMap");

        assertThat(admin.configMaps().inNamespace(NS).withName(NAME).get().getData()
                .get(ConfigMapRouterConfigSource.KEY)).isEqualTo(before);
        assertThat(router.config().weights()).isEqualTo(Weights.allTo(Slot.A));
    }

    @Test
    void aBackendOutsideTheNamespaceIsNeverApplied() {
        ConfigMapRouterConfigSource s = open();
        router = new RouterServer(s, 0, 0, IN_CLUSTER).start();
        writeConfig("{\"weights\":{\"a\":0,\"b\":100},\"backends\":{\"a\":[\"http://sentiment-bot-a:8080\"],"
                + "\"b\":[\"http://attacker.example:80\"]}}");
        writeConfig("{\"weights\":{\"a\":40,\"b\":60},\"backends\":{\"a\":[\"http://sentiment-bot-a:8080\"],"
                + "\"b\":[\"http://sentiment-bot-b:8080\"]}}");
        Eventually.await(Duration.ofSeconds(10), "the valid change after the refused one",
                () -> router.config().weights().equals(new Weights(40, 60)));
        assertThat(router.config().backendsOf(Slot.B)).containsExactly(URI.create("http://sentiment-bot-b:8080"));
    }

    @Test
    void routerCommandTakesAConfigMapInsteadOfAFile() {
        CommandLine.populateCommand(new RouterCommand(), "--configmap", NS + "/" + NAME); // parses
        assertThat(new CommandLine(new RouterCommand()).execute("--configmap", "bots/x", "--config-file", "r.json"))
                .as("one or the other").isEqualTo(2);
        assertThat(new CommandLine(new RouterCommand()).execute()).as("one is required").isEqualTo(2);
        assertThat(new CommandLine(new RouterCommand()).execute("--configmap", "no-namespace", "--listen", "0",
                "--admin-port", "0")).isEqualTo(2);
    }
}
