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
    private final URI admin;
    private final Duration timeout;
    private final Optional<AdminToken> token;
    private final HttpClient http;

    public BotshiftRouterClient(URI admin, Duration timeout, Optional<AdminToken> token) {
        this.admin = admin;
        this.timeout = timeout;
        this.token = token;
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

    public void setBackends(Slot slot, List<URI> backends) {
        ObjectNode body = RouterConfigJson.JSON.createObjectNode();
        var list = body.putObject("backends").putArray(slot.label());
        backends.forEach(uri -> list.add(uri.toString()));
        put(body);
    }

    /** Replaces whatever the body names (weights, backends, stickyBy); answers the config now in force. */
    public RouterConfig update(ObjectNode changes) {
        return RouterConfigJson.merge(put(changes), "router " + admin, RouterConfig.initial());
    }

    @Override
    public WeightCheck verify(Weights expected) {
        RouterConfig actual;
        try {
            actual = config();
        } catch (UnreachableException e) {
            return new WeightCheck.Unknown(e.getMessage());
        }
        return actual.weights().equals(expected) ? new WeightCheck.Matches() : new WeightCheck.Differs(actual.weights());
    }

    public RouterConfig config() {
        return RouterConfigJson.merge(send(HttpRequest.newBuilder(path("/botshift/config")).GET()), "router " + admin,
                RouterConfig.initial());
    }

    public RouterStats stats() {
        JsonNode node = send(HttpRequest.newBuilder(path("/botshift/stats")).GET());
        try {
            return RouterStatsJson.fromJson(node);
        } catch (IllegalArgumentException e) {
            throw new UnreachableException("router " + admin + " answered unreadable stats: " + e.getMessage(), e);
        }
    }

    /**
     * Whether the router takes this client's credentials: false when it answers 401 (a router started with another
     * token), true when it answers anything else or cannot be asked.
     */
    public boolean acceptsCredentials() {
        HttpRequest.Builder request = HttpRequest.newBuilder(path("/botshift/stats")).GET().timeout(timeout);
        token.ifPresent(t -> request.header("Authorization", t.authorization()));
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

    private JsonNode send(HttpRequest.Builder request) {
        token.ifPresent(t -> request.header("Authorization", t.authorization()));
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UnreachableException("router admin API " + admin + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while calling router admin API " + admin, e);
        }
        JsonNode node;
        try {
            node = RouterConfigJson.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UnreachableException("router admin API " + admin + " answered non-JSON (HTTP " + response.statusCode() + ")", e);
        }
        if (response.statusCode() == 400) {
            throw new InvalidInputException("router refused the change: " + node.path("error").asText());
        }
        if (response.statusCode() != 200) {
            throw new UnreachableException("router admin API " + admin + " answered HTTP " + response.statusCode()
                    + ": " + node.path("error").asText(), null);
        }
        return node;
    }

    private URI path(String path) {
        return admin.resolve(path);
    }
}
