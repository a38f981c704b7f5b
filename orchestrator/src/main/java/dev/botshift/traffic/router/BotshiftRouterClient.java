package dev.botshift.traffic.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botshift.core.Slot;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.UnreachableException;
import dev.botshift.core.Weights;
import dev.botshift.traffic.TrafficRouter;
import dev.botshift.traffic.WeightCheck;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code botshift} traffic router: drives a running Botshift router through its admin API, sending the router's
 * {@link AdminToken} with every request (none for a read-only router).
 */
public final class BotshiftRouterClient implements TrafficRouter {
    /** Where a router's admin API answers, and the token it takes (none for a read-only router). */
    public record Endpoint(URI admin, Optional<AdminToken> token) {
    }

    /**
     * Finds the router when a call cannot reach it: the embedded default's supervisor starts a dead router again and
     * answers where the new one listens; empty when nothing can be done.
     */
    @FunctionalInterface
    public interface Recovery {
        Recovery NONE = () -> Optional.empty();

        Optional<Endpoint> recover();
    }

    private volatile Endpoint endpoint;
    private final Duration timeout;
    private final HttpClient http;
    private final Recovery recovery;

    public BotshiftRouterClient(URI admin, Duration timeout, Optional<AdminToken> token) {
        this(new Endpoint(admin, token), timeout, Recovery.NONE);
    }

    /** A client that, when the router cannot be reached, asks {@code recovery} for it once and tries again there. */
    public BotshiftRouterClient(Endpoint endpoint, Duration timeout, Recovery recovery) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.recovery = recovery;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** A client without a token: for a read-only router, or to see a guarded one refuse. */
    public BotshiftRouterClient(URI admin, Duration timeout) {
        this(admin, timeout, Optional.empty());
    }

    public BotshiftRouterClient(URI admin) {
        this(admin, Duration.ofSeconds(5));
    }

    @Override
    public void setWeights(Weights weights) {
        ObjectNode body = RouterConfigJson.JSON.createObjectNode();
        body.putObject("weights").put(Slot.A.label(), weights.a()).put(Slot.B.label(), weights.b());
        put(body);
    }

    /** The split and the guard in one change, so the router never holds one without the other. */
    @Override
    public void setWeights(Weights weights, dev.botshift.traffic.GreenGuard guard) {
        ObjectNode body = RouterConfigJson.JSON.createObjectNode();
        body.putObject("weights").put(Slot.A.label(), weights.a()).put(Slot.B.label(), weights.b());
        if (guard == null) {
            body.putNull("guard");
        } else {
            body.set("guard", GuardJson.toJson(guard, null));
        }
        put(body);
    }

    public void setBackends(Slot slot, List<URI> backends) {
        ObjectNode body = RouterConfigJson.JSON.createObjectNode();
        var list = body.putObject("backends").putArray(slot.label());
        backends.forEach(uri -> list.add(uri.toString()));
        put(body);
    }

    /** Replaces whatever the body names (weights, backends, stickyBy); answers the config now in force. */
    public RouterConfig update(ObjectNode changes) {
        return RouterConfigJson.merge(put(changes), "router " + endpoint.admin(), RouterConfig.initial());
    }

    @Override
    public WeightCheck verify(Weights expected) {
        RouterConfig actual;
        try {
            actual = config();
        } catch (UnreachableException e) {
            return new WeightCheck.Unknown(e.getMessage());
        }
        if (actual.trip() != null) {
            return new WeightCheck.Tripped(actual.weights(), actual.guard().rollout(), actual.trip());
        }
        return actual.weights().equals(expected) ? new WeightCheck.Matches() : new WeightCheck.Differs(actual.weights());
    }

    public RouterConfig config() {
        return RouterConfigJson.merge(send(HttpRequest.newBuilder(path("/botshift/config")).GET()),
                "router " + endpoint.admin(), RouterConfig.initial());
    }

    public RouterStats stats() {
        JsonNode node = send(HttpRequest.newBuilder(path("/botshift/stats")).GET());
        try {
            return RouterStatsJson.fromJson(node);
        } catch (IllegalArgumentException e) {
            throw new UnreachableException("router " + endpoint.admin() + " answered unreadable stats: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Waits until no webhook is in flight to {@code slot}'s instances ({@link RouterStats.SlotStats#inFlight}), or
     * {@code within} has passed, looking every 20 ms; how many were left at the last look (0: none).
     */
    public long awaitAnswered(Slot slot, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        long left = stats().of(slot).inFlight();
        while (left > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
            left = stats().of(slot).inFlight();
        }
        return left;
    }

    /**
     * The polling bridge's counts ({@code GET /botshift/polling}, docs/polling.md); empty when the router takes
     * webhooks (it answers 404 then).
     */
    public Optional<JsonNode> polling() {
        return Optional.ofNullable(send(HttpRequest.newBuilder(path("/botshift/polling")).GET(), true));
    }

    /**
     * Whether the router takes this client's credentials: false when it answers 401 (a router started with another
     * token), true when it answers anything else or cannot be asked.
     */
    public boolean acceptsCredentials() {
        HttpRequest.Builder request = HttpRequest.newBuilder(path("/botshift/stats")).GET().timeout(timeout);
        endpoint.token().ifPresent(t -> request.header("Authorization", t.authorization()));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() != 401;
        } catch (IOException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    public boolean healthy() {
        try {
            send(HttpRequest.newBuilder(path("/botshift/healthz")).GET());
            return true;
        } catch (UnreachableException e) {
            return false;
        }
    }

    private JsonNode put(ObjectNode body) {
        try {
            return send(HttpRequest.newBuilder(path("/botshift/config"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(RouterConfigJson.JSON.writeValueAsBytes(body))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends to the router; a router that cannot be reached is looked for once more through the recovery. */
    private JsonNode send(HttpRequest.Builder request) {
        return send(request, false);
    }

    /** @param absentOn404 a 404 answers null (a resource this router does not have) instead of failing */
    private JsonNode send(HttpRequest.Builder request, boolean absentOn404) {
        try {
            return sendOnce(request, absentOn404);
        } catch (UnreachableException e) {
            Optional<Endpoint> found = recovery.recover();
            if (found.isEmpty()) {
                throw e;
            }
            endpoint = found.get();
            URI old = request.build().uri();
            return sendOnce(request.uri(endpoint.admin().resolve(old.getRawPath())), absentOn404);
        }
    }

    private JsonNode sendOnce(HttpRequest.Builder request, boolean absentOn404) {
        Endpoint at = endpoint;
        at.token().ifPresent(t -> request.setHeader("Authorization", t.authorization()));
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UnreachableException("router admin API " + at.admin() + " unreachable: " + why(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while calling router admin API " + at.admin(), e);
        }
        JsonNode node;
        try {
            node = RouterConfigJson.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UnreachableException("router admin API " + at.admin() + " answered non-JSON (HTTP "
                    + response.statusCode() + ")", e);
        }
        if (absentOn404 && response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() == 400) {
            throw new InvalidInputException("router refused the change: " + node.path("error").asText());
        }
        if (response.statusCode() == 409) {
            throw new GuardTrippedException("router refused the change: " + node.path("error").asText());
        }
        if (response.statusCode() != 200) {
            throw new UnreachableException("router admin API " + at.admin() + " answered HTTP " + response.statusCode()
                    + ": " + node.path("error").asText(), null);
        }
        return node;
    }

    /** The JDK's connection errors often carry no message ("null"): name the exception then. */
    private static String why(IOException e) {
        if (e.getMessage() != null && !e.getMessage().isBlank()) {
            return e.getMessage();
        }
        return e instanceof java.net.ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }

    private URI path(String path) {
        return endpoint.admin().resolve(path);
    }
}
