package dev.botshift.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The defaults of optional plan fields, filled into the YAML tree before binding, so that a field that was left
 * out and one that was written with the default value give the same plan. docs/plan-file.md lists them.
 */
final class PlanDefaults {
    static final List<String> STEPS = List.of("5", "25", "50", "100");

    private PlanDefaults() {
    }

    static void fill(ObjectNode root) {
        put(root, "bake", "5m");
        put(root, "approval", "none");
        ObjectNode database = section(root, "database", false);
        if (database != null) {
            put(database, "lockTimeout", "500ms");
            put(database, "ddlDeadline", "5m");
        }
        ObjectNode workload = section(root, "workload", false);
        boolean kubernetes = false;
        if (workload != null) {
            kubernetes = "kubernetes".equals(workload.path("platform").asText());
            put(workload, "replicas", "2");
            put(workload, "healthPath", "/healthz");
            put(workload, "progressDeadline", "120s");
            put(workload, "drainTimeout", "15s");
            ObjectNode k8s = section(workload, "kubernetes", false);
            if (k8s != null) {
                put(k8s, "port", "8080");
            }
        }
        ObjectNode traffic = section(root, "traffic", true);
        if (traffic != null) {
            put(traffic, "router", "botshift");
            put(traffic, "stickyBy", "$.message.chat.id");
            if (absent(traffic, "steps")) {
                ArrayNode steps = traffic.putArray("steps");
                STEPS.forEach(steps::add);
            }
            put(traffic, "stepDuration", "60s");
            put(traffic, "listenPort", "8080");
            ObjectNode verify = section(traffic, "verify", false);
            if (verify != null && VerifySpec.SLACK.equals(verify.path("platform").asText())) {
                // Slack's own replay window; the other platforms send no timestamp
                put(verify, "maxSkew", "5m");
            }
            if (kubernetes && root.path("name").isTextual()) {
                // The router's Kubernetes resource is named after the app unless the plan says otherwise.
                put(traffic, "resource", root.path("name").textValue());
            }
        }
        ObjectNode analysis = section(root, "analysis", true);
        if (analysis != null) {
            ObjectNode prometheus = section(analysis, "prometheus", false);
            put(analysis, "provider", prometheus != null ? "prometheus" : "combined");
            put(analysis, "interval", "10s");
            put(analysis, "maxErrorRate", "5%");
            put(analysis, "maxIncreaseOverBaseline", "2%");
            put(analysis, "minRequests", "50");
            put(analysis, "failureLimit", "2");
            put(analysis, "cumulativeFailureLimit", "5");
            put(analysis, "inconclusiveLimit", "6");
            if (prometheus != null) {
                put(prometheus, "timeout", "10s");
                put(prometheus, "insecureSkipTlsVerify", "false");
            }
        }
    }

    /** The named block; created empty when {@code create} and absent; null when absent or not a mapping. */
    private static ObjectNode section(ObjectNode parent, String name, boolean create) {
        if (absent(parent, name)) {
            return create ? parent.putObject(name) : null;
        }
        JsonNode node = parent.get(name);
        return node instanceof ObjectNode object ? object : null;
    }

    private static void put(ObjectNode parent, String name, String value) {
        if (absent(parent, name)) {
            parent.put(name, value);
        }
    }

    private static boolean absent(ObjectNode parent, String name) {
        JsonNode node = parent.get(name);
        return node == null || node.isNull();
    }
}
