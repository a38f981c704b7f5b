package dev.botshift.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a colour of the bot runs.
 *
 * @param platform          {@code local} (child processes) or {@code kubernetes}
 * @param replicas          processes or pods per colour, at least 1
 * @param command           local: the bot's command line (the port comes in {@code PORT})
 * @param env               extra environment for the bot; values may be {@code ${env:NAME}} and may be secrets,
 *                          so {@link #toString()} shows only the names
 * @param healthPath        readiness check path (default {@code /healthz})
 * @param progressDeadline  how long a new colour may take to become ready before the release is rolled back
 * @param drainTimeout      how long a stopping process or pod gets after SIGTERM before it is killed
 * @param kubernetes        kubernetes platform settings; null on local
 */
public record WorkloadSpec(
        String platform,
        int replicas,
        List<String> command,
        Map<String, String> env,
        String healthPath,
        Duration progressDeadline,
        Duration drainTimeout,
        KubernetesSpec kubernetes) {

    /** The embedded default: bots as local processes, the Botshift router, state in files. */
    public static final String LOCAL = "local";
    public static final String KUBERNETES = "kubernetes";
    /** The accepted {@code platform} names. */
    public static final List<String> PLATFORMS = List.of(LOCAL, KUBERNETES);

    // Null-tolerant copies: a bad element is reported by the validator with its line, not as an NPE here.
    public WorkloadSpec {
        command = command == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(command));
        env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    @Override
    public String toString() {
        return "WorkloadSpec[platform=" + platform + ", replicas=" + replicas + ", command=" + command
                + ", env=" + env.keySet() + ", healthPath=" + healthPath + ", progressDeadline=" + progressDeadline
                + ", drainTimeout=" + drainTimeout + ", kubernetes=" + kubernetes + "]";
    }

    /**
     * @param namespace  where the bot runs
     * @param image      the release's container image
     * @param template   a Deployment template file (default: the one in {@code manifests/})
     * @param port       the bot's container port
     */
    public record KubernetesSpec(String namespace, String image, String template, int port) {
    }
}
