package dev.botshift.traffic.router;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botshift.core.InvalidInputException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The admin API, served only on the loopback admin port:
 * {@code GET|PUT /botshift/config}, {@code GET /botshift/stats}, {@code GET /botshift/healthz}, {@code GET /metrics},
 * and on a router that polls the Bot API, {@code GET /botshift/polling} (the bridge's counts, docs/polling.md).
 *
 * <p>127.0.0.1 is reachable by every user of the machine, so loopback is not a credential: with {@link
 * AdminAccess.Token} every request but the health check must carry {@code Authorization: Bearer <token>}, checked
 * before anything else is read (401 otherwise, and nothing changes); with {@link AdminAccess.ReadOnly} reads are
 * open and changes are refused. A change's body is read only up to {@value #MAX_BODY_BYTES} bytes (a config is a few
 * hundred), so a huge PUT costs the router nothing.
 */
final class AdminHandler extends Handler.Abstract {
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final String BEARER = "Bearer ";

    private final LiveConfig live;
    private final RouterMetrics metrics;
    private final GuardWatch guard;
    private final AdminAccess access;
    private final java.util.function.Supplier<java.util.Optional<String>> stuck;
    private volatile java.util.function.Supplier<JsonNode> polling;

    /** @param stuck why the webhook port serves nothing though the process lives, asked by every health check */
    AdminHandler(LiveConfig live, RouterMetrics metrics, GuardWatch guard, AdminAccess access,
                 java.util.function.Supplier<java.util.Optional<String>> stuck) {
        this.live = live;
        this.metrics = metrics;
        this.guard = guard;
        this.access = access;
        this.stuck = stuck;
    }

    /** Serves {@code GET /botshift/polling} from {@code status} (the router's package knows no bridge). */
    void reportPolling(java.util.function.Supplier<JsonNode> status) {
        this.polling = status;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (path.equals("/botshift/healthz")) {
            // liveness for whoever asks: "ok", or that the webhook port is stuck (a supervisor's guard then replaces
            // the router as it replaces one whose admin port answers nothing); nothing else
            java.util.Optional<String> why = stuck.get();
            json(response, callback, why.isEmpty() ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503,
                    why.isEmpty() ? RouterConfigJson.JSON.createObjectNode().put("status", "ok")
                            : RouterConfigJson.JSON.createObjectNode().put("status", "stuck").put("error", why.get()));
            return true;
        }
        if (access instanceof AdminAccess.Token t && !authorised(request, t.token())) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"botshift-router\"");
            // the body is never read: tell the client not to reuse a connection it may still be writing to
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            writeJsonError(response, callback, HttpStatus.UNAUTHORIZED_401, "missing or wrong admin token: send "
                    + "Authorization: Bearer <token>, the token being the router's admin-token file");
            return true;
        }
        switch (path) {
            case "/botshift/config" -> {
                if ("GET".equals(method)) {
                    json(response, callback, HttpStatus.OK_200, configJson(live.versioned()));
                } else if ("PUT".equals(method)) {
                    put(request, response, callback);
                } else {
                    writeJsonError(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "use GET or PUT");
                }
            }
            case "/botshift/stats" -> json(response, callback, HttpStatus.OK_200, stats());
            case "/botshift/polling" -> {
                java.util.function.Supplier<JsonNode> status = polling;
                if (status == null) {
                    writeJsonError(response, callback, HttpStatus.NOT_FOUND_404,
                            "this router does not poll the Bot API (traffic.source is webhook)");
                } else {
                    json(response, callback, HttpStatus.OK_200, status.get());
                }
            }
            case "/metrics" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                metrics.writeText(out);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, RouterMetrics.textContentType());
                response.write(true, ByteBuffer.wrap(out.toByteArray()), callback);
            }
            default -> writeJsonError(response, callback, HttpStatus.NOT_FOUND_404, "no such admin resource: " + path);
        }
        return true;
    }

    private static boolean authorised(Request request, AdminToken token) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        return header != null && header.startsWith(BEARER) && token.matches(header.substring(BEARER.length()).trim());
    }

    private void put(Request request, Response response, Callback callback) {
        if (access instanceof AdminAccess.ReadOnly readOnly) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            writeJsonError(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "this router's admin API is read-only: "
                    + readOnly.why());
            return;
        }
        if (request.getLength() > MAX_BODY_BYTES) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            writeJsonError(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, "a config change is at most "
                    + MAX_BODY_BYTES + " bytes");
            return;
        }
        Content.Source.asByteArrayAsync(request, MAX_BODY_BYTES).whenComplete((body, failure) -> {
            if (failure != null) {
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                writeJsonError(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, "a config change is at most "
                        + MAX_BODY_BYTES + " bytes");
                return;
            }
            try {
                RouterConfig changed = RouterConfigJson.parse(body, "PUT /botshift/config", live.config());
                json(response, callback, HttpStatus.OK_200, configJson(live.replace(changed, "PUT /botshift/config")));
            } catch (InvalidInputException e) {
                writeJsonError(response, callback, HttpStatus.BAD_REQUEST_400, e.getMessage());
            } catch (GuardTrippedException e) {
                writeJsonError(response, callback, HttpStatus.CONFLICT_409, e.getMessage());
            } catch (RuntimeException e) {
                writeJsonError(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "the change was not stored: "
                        + e.getMessage());
            }
        });
    }

    /** The counts, plus the guard's test as it stands ({@code guard.tripped}: the trip on record, if any). */
    private ObjectNode stats() {
        ObjectNode node = RouterStatsJson.toJson(metrics.stats());
        GuardWatch.Reading reading = guard.reading();
        RouterConfig config = live.config();
        ObjectNode g = node.putObject("guard");
        g.put("armed", config.armedGuard() != null);
        g.put("statistic", reading.statistic());
        g.put("steepStatistic", reading.steepStatistic());
        g.put("requests", reading.requests());
        g.put("errors", reading.errors());
        g.put("heldForBlue", reading.held());
        g.put("blueStatistic", reading.blueStatistic());
        g.put("blueSteepStatistic", reading.blueSteepStatistic());
        if (config.trip() != null) {
            g.set("tripped", RouterConfigJson.toJson(config).path("guard").path("tripped"));
        }
        return node;
    }

    private static ObjectNode configJson(LiveConfig.Versioned versioned) {
        ObjectNode node = RouterConfigJson.toJson(versioned.config());
        node.put("generation", versioned.generation());
        return node;
    }

    /** A JSON error body ({@code {"error": ...}}); shared with the routing side for its refusals. */
    static void writeJsonError(Response response, Callback callback, int status, String message) {
        json(response, callback, status, RouterConfigJson.JSON.createObjectNode().put("error", message));
    }

    private static void json(Response response, Callback callback, int status, JsonNode node) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        try {
            response.write(true, ByteBuffer.wrap(RouterConfigJson.JSON.writeValueAsBytes(node)), callback);
        } catch (JsonProcessingException e) {
            callback.failed(e);
        }
    }
}
