package dev.botshift.kubernetes.testing;

import dev.botshift.kubernetes.ApiAccess.Grant;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;

/**
 * The CRUD mock (the same dispatcher {@code @EnableKubernetesMockClient(crud = true)} uses) behind a dispatcher that
 * answers some of Botshift's requests with an error <em>instead of</em> handling them, as an API server that refused
 * the request would: nothing is stored. Requests from the test's fixtures ({@link ApiRequests#FIXTURE_AGENT}) and
 * watches always pass, so the kubelet fixture and the informers see the cluster as it is.
 */
public final class ApiFaults extends Dispatcher {
    /**
     * Of Botshift's requests on one resource (deployments and deployments/scale count as one) that {@code applies}
     * (to its RBAC terms and path), every {@code every}-th is answered with {@code code}. Counting per resource
     * keeps a rarely used one (the HTTPRoute) from escaping the faults; a retry is a new request, so with
     * {@code every > 1} it never fails twice in a row.
     */
    public record Rule(int code, int every, BiPredicate<Grant, String> applies) {
    }

    private final Dispatcher crud = new KubernetesMixedDispatcher(new HashMap<>());
    private final List<Rule> rules;
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();

    public ApiFaults(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** A started mock server answering through {@code faults}; destroy it after the test. */
    public static KubernetesMockServer server(ApiFaults faults) {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                faults, false);
        server.init();
        return server;
    }

    /**
     * What the mock's own client configuration holds (its URL, namespace "test", trust, HTTP/1.1), built without
     * opening and closing a client just to read it (its event loop complains when shut down that early).
     */
    public static Config config(KubernetesMockServer server) {
        return new ConfigBuilder(Config.empty()).withMasterUrl(server.url("/")).withTrustCerts(true)
                .withNamespace("test").withHttp2Disable(true).build();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        try {
            return faultOrCrud(request);
        } catch (RuntimeException | AssertionError e) {
            // a dispatcher that throws leaves the client waiting for ever; answer so the test fails with the cause
            System.err.println("ApiFaults could not dispatch " + request.getMethod() + " " + request.getPath() + ": " + e);
            return new MockResponse().setResponseCode(599).setBody("ApiFaults: " + e);
        }
    }

    private MockResponse faultOrCrud(RecordedRequest request) {
        String agent = request.getHeader("User-Agent");
        String path = request.getPath();
        boolean botshift = agent == null || !agent.contains(ApiRequests.FIXTURE_AGENT);
        if (botshift && path.contains("/namespaces/") && !path.contains("watch=true")) {
            Grant grant = ApiRequests.grantOf(request.getMethod(), path);
            for (Rule rule : rules) {
                String counter = rules.indexOf(rule) + " " + grant.resource().split("/")[0];
                if (rule.applies().test(grant, path)
                        && seen.computeIfAbsent(counter, k -> new AtomicInteger()).incrementAndGet() % rule.every() == 0) {
                    injected.computeIfAbsent(rule.code() + " " + grant.verb() + " " + grant.resource(),
                            k -> new AtomicInteger()).incrementAndGet();
                    return error(rule.code());
                }
            }
        }
        return crud.dispatch(request);
    }

    private static MockResponse error(int code) {
        String reason = code == 409 ? "Conflict" : "InternalError";
        String message = code == 409 ? "the object has been modified; please apply your changes to the latest version"
                : "etcdserver: request timed out";
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(Serialization.asJson(new StatusBuilder().withStatus("Failure").withCode(code)
                        .withReason(reason).withMessage(message).build()));
    }

    /** Faults injected so far, by "code verb resource" (e.g. "500 update httproutes"). */
    public Map<String, Integer> injected() {
        Map<String, Integer> out = new TreeMap<>();
        injected.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Faults with {@code code} injected so far on {@code resource} and its subresources, whatever the verb. */
    public int injected(int code, String resource) {
        return injected().entrySet().stream().filter(e -> e.getKey().startsWith(code + " ")
                && e.getKey().split(" ")[2].split("/")[0].equals(resource)).mapToInt(Map.Entry::getValue).sum();
    }

    @Override
    public void shutdown() {
        crud.shutdown();
    }

    @Override
    public void releaseResources() {
        crud.releaseResources();
    }
}
