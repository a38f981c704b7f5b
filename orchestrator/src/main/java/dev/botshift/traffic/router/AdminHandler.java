package dev.botshift.traffic.router;

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
import java.nio.charset.StandardCharsets;

/**
 * The admin API, served only on the loopback admin port:
 * {@code GET|PUT /botshift/config}, {@code GET /botshift/stats}, {@code GET /botshift/healthz}, {@code GET /metrics}.
 */
final class AdminHandler extends Handler.Abstract {
    private final LiveConfig live;
    private final RouterMetrics metrics;

    AdminHandler(LiveConfig live, RouterMetrics metrics) {
        this.live = live;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        switch (path) {
            case "/botshift/config" -> {
                if ("GET".equals(method)) {
                    json(response, callback, HttpStatus.OK_200, configJson(live.versioned()));
                } else if ("PUT".equals(method)) {
                    put(request, response, callback);
                } else {
                    error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "use GET or PUT");
                }
            }
            case "/botshift/stats" -> json(response, callback, HttpStatus.OK_200, RouterStatsJson.toJson(metrics.stats()));
            case "/botshift/healthz" -> json(response, callback, HttpStatus.OK_200,
                    RouterConfigJson.JSON.createObjectNode().put("status", "ok"));
            case "/metrics" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                metrics.writeText(out);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, RouterMetrics.textContentType());
                response.write(true, ByteBuffer.wrap(out.toByteArray()), callback);
            }
            default -> error(response, callback, HttpStatus.NOT_FOUND_404, "no such admin resource: " + path);
        }
        return true;
    }

    private void put(Request request, Response response, Callback callback) throws IOException {
        String body = Content.Source.asString(request, StandardCharsets.UTF_8);
        try {
            RouterConfig changed = RouterConfigJson.parse(body.getBytes(StandardCharsets.UTF_8), "PUT /botshift/config", live.config());
            json(response, callback, HttpStatus.OK_200, configJson(live.replace(changed)));
        } catch (InvalidInputException e) {
            error(response, callback, HttpStatus.BAD_REQUEST_400, e.getMessage());
        }
    }

    private static ObjectNode configJson(LiveConfig.Versioned versioned) {
        ObjectNode node = RouterConfigJson.toJson(versioned.config());
        node.put("generation", versioned.generation());
        return node;
    }

    private static void error(Response response, Callback callback, int status, String message) throws IOException {
        json(response, callback, status, RouterConfigJson.JSON.createObjectNode().put("error", message));
    }

    private static void json(Response response, Callback callback, int status, JsonNode node) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(RouterConfigJson.JSON.writeValueAsBytes(node)), callback);
    }
}
