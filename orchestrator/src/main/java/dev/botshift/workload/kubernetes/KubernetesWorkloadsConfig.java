package dev.botshift.workload.kubernetes;

import dev.botshift.core.InvalidInputException;
import dev.botshift.plan.Plan;
import dev.botshift.plan.PlanDefaults;
import dev.botshift.plan.WorkloadSpec;
import dev.botshift.workload.BotDatabaseEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link KubernetesWorkloads} needs from the plan.
 *
 * @param image            {@code {{version}}} in it is replaced per colour
 * @param progressDeadline becomes the Deployment's {@code progressDeadlineSeconds}
 * @param drainTimeout     how long {@code stop} waits for the colour's pods to go, on top of their grace period
 */
public record KubernetesWorkloadsConfig(String app, String namespace, String image, DeploymentTemplate template,
                                        int port, Duration progressDeadline, Duration drainTimeout,
                                        Map<String, String> env) {

    public static KubernetesWorkloadsConfig fromPlan(Plan plan) {
        WorkloadSpec w = plan.workload();
        WorkloadSpec.KubernetesSpec k = w.kubernetes();
        String file = plan.source() == null ? "plan" : plan.source().toString();
        if (k == null) {
            throw new InvalidInputException(file + ": workload.kubernetes is required when workload.platform is kubernetes");
        }
        if (k.image() == null || k.image().isBlank()) {
            throw new InvalidInputException(file + ": workload.kubernetes.image is required");
        }
        Path template = k.template() == null ? null : plan.resolve(k.template());
        return new KubernetesWorkloadsConfig(plan.name(), k.namespace(), k.image(), DeploymentTemplate.load(template),
                k.port() > 0 ? k.port() : PlanDefaults.KUBERNETES_PORT,
                w.progressDeadline() == null ? PlanDefaults.PROGRESS_DEADLINE : w.progressDeadline(),
                w.drainTimeout() == null ? PlanDefaults.DRAIN_TIMEOUT : w.drainTimeout(),
                env(plan));
    }

    /**
     * The database's plain variables (no password: that comes from the template's {@code secretKeyRef}), then the
     * plan's {@code workload.env}, which wins.
     */
    private static Map<String, String> env(Plan plan) {
        Map<String, String> env = new LinkedHashMap<>(BotDatabaseEnvironment.plain(plan.database()));
        if (plan.workload().env() != null) {
            env.putAll(plan.workload().env());
        }
        return env;
    }

    int progressDeadlineSeconds() {
        return (int) Math.max(1, (progressDeadline.toMillis() + 999) / 1000);
    }
}
