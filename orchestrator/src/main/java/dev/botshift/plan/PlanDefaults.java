package dev.botshift.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botshift.core.DurationText;

import java.time.Duration;
import java.util.List;

/**
 * The defaults of optional plan fields, filled into the YAML tree before binding, so that a field that was left
 * out and one that was written with the default value give the same plan. docs/plan-file.md lists them. The
 * constants are the one source: an adapter given a spec without the field (a test's record) falls back to them.
 */
public final class PlanDefaults {
    static final List<String> STEPS = List.of("5", "25", "50", "100");
    public static final Duration LOCK_TIMEOUT = Duration.ofMillis(500);
    public static final Duration DDL_DEADLINE = Duration.ofMinutes(5);
    public static final String HEALTH_PATH = "/healthz";
    public static final Duration PROGRESS_DEADLINE = Duration.ofSeconds(120);
    /** How long a colour's instances may take to finish in-flight work when they are stopped. */
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);
    public static final int KUBERNETES_PORT = 8080;
    public static final Duration PROMETHEUS_TIMEOUT = Duration.ofSeconds(10);
    /** How long green is still judged after the contract (Argo Rollouts' postPromotionAnalysis is the anchor). */
    public static final Duration POST_CONTRACT = Duration.ofSeconds(30);

    private PlanDefaults() {
    }

    static void fill(ObjectNode root) {
        put(root, "bake", "5m");
        put(root, "approval", "none");
        ObjectNode database = section(root, "database", false);
        if (database != null) {
            put(database, "lockTimeout", DurationText.format(LOCK_TIMEOUT));
            put(database, "ddlDeadline", DurationText.format(DDL_DEADLINE));
        }
        ObjectNode workload = section(root, "workload", false);
        boolean kubernetes = false;
        if (workload != null) {
            kubernetes = WorkloadSpec.KUBERNETES.equals(workload.path("platform").asText());
            put(workload, "replicas", "2");
            put(workload, "healthPath", HEALTH_PATH);
            put(workload, "progressDeadline", DurationText.format(PROGRESS_DEADLINE));
            put(workload, "drainTimeout", DurationText.format(DRAIN_TIMEOUT));
            ObjectNode k8s = section(workload, "kubernetes", false);
            if (k8s != null) {
                put(k8s, "port", String.valueOf(KUBERNETES_PORT));
            }
        }
        ObjectNode traffic = section(root, "traffic", true);
        if (traffic != null) {
            put(traffic, "router", TrafficSpec.BOTSHIFT);
            put(traffic, "stickyBy", dev.botshift.core.StickyPaths.TELEGRAM); // every kind of Telegram update
            if (absent(traffic, "steps")) {
                ArrayNode steps = traffic.putArray("steps");
                STEPS.forEach(steps::add);
            }
            put(traffic, "stepDuration", "60s");
            put(traffic, "listenPort", "8080");
            if (!kubernetes) {
                // on Kubernetes the router Deployment's arguments set it (the validator says so)
                put(traffic, "answerTimeout", DurationText.format(dev.botshift.core.AnswerTimeout.DEFAULT));
            }
            put(traffic, "source", TrafficSpec.WEBHOOK);
            ObjectNode polling = section(traffic, "polling", false);
            if (polling != null) {
                put(polling, "apiUrl", PollingSpec.DEFAULT_API_URL);
                put(polling, "path", "/");
                put(polling, "pollTimeout", "25s");
                put(polling, "maxAttempts", "8");
            }
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
            put(analysis, "provider", prometheus != null ? AnalysisSpec.PROMETHEUS : AnalysisSpec.COMBINED);
            put(analysis, "interval", "10s");
            put(analysis, "maxErrorRate", "5%");
            put(analysis, "maxIncreaseOverBaseline", "2%");
            put(analysis, "minRequests", "50");
            put(analysis, "failureLimit", "2");
            put(analysis, "cumulativeFailureLimit", "5");
            put(analysis, "inconclusiveLimit", "6");
            put(analysis, "maxStepDuration", "10m");
            put(analysis, "postContract", DurationText.format(POST_CONTRACT));
            if (prometheus != null) {
                put(prometheus, "timeout", DurationText.format(PROMETHEUS_TIMEOUT));
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
