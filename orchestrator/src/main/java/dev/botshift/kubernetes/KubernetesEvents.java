package dev.botshift.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botshift.core.Split;
import dev.botshift.core.VisibleText;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the rollout's story where {@code kubectl describe deployment <app>-<colour>} shows it: an Event per phase
 * change, rollback and promotion on each of the app's Deployments, and the annotations {@code botshift.dev/phase}
 * and {@code botshift.dev/weights} on them. Reporting is best effort: a failed Event never fails a rollout.
 *
 * @see ApiAccess#EVENTS the API calls it makes (granted by manifests/controller/rbac.yaml)
 */
public final class KubernetesEvents {
    public static final String PHASE_ANNOTATION = "botshift.dev/phase";
    public static final String WEIGHTS_ANNOTATION = "botshift.dev/weights";
    public static final String COMPONENT = "botshift";
    /**
     * The most characters an Event's message has: the events.k8s.io API's limit for a note, which client-go's recorders keep
     * to (the core API Botshift writes to takes more, and a cause can be long).
     */
    static final int MESSAGE_MAX = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;
    private final String instance;

    /** @param instance who reports (the run id or pod name), shown as the Event's reporting instance */
    public KubernetesEvents(KubernetesClient client, String namespace, Clock clock, String instance) {
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
        this.instance = instance;
    }

    public void phaseChanged(String app, String phase, String message) {
        annotate(app, Map.of(PHASE_ANNOTATION, phase));
        record(app, "Normal", "Phase" + camel(phase), message);
    }

    /** The split between blue (serving before the rollout) and green (the new version), as people read it. */
    public void splitChanged(String app, Split split) {
        annotate(app, Map.of(WEIGHTS_ANNOTATION, "blue=" + split.blue() + ",green=" + split.green()));
        record(app, "Normal", "TrafficShifted", split.toString());
    }

    public void rolledBack(String app, String reason) {
        annotate(app, Map.of(PHASE_ANNOTATION, "ROLLED_BACK"));
        record(app, "Warning", "RolledBack", reason);
    }

    public void promoted(String app, String version) {
        record(app, "Normal", "Promoted", "version " + version + " promoted");
    }

    private void annotate(String app, Map<String, String> annotations) {
        ObjectNode patch = JSON.createObjectNode();
        ObjectNode a = patch.putObject("metadata").putObject("annotations");
        annotations.forEach(a::put);
        for (Deployment d : deployments(app)) {
            try {
                client.apps().deployments().inNamespace(namespace).withName(d.getMetadata().getName())
                        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
            } catch (KubernetesClientException e) {
                LOG.warn("could not annotate {}: {}", d.getMetadata().getName(), e.getMessage());
            }
        }
    }

    private void record(String app, String type, String reason, String message) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        for (Deployment d : deployments(app)) {
            Event event = new EventBuilder()
                    .withNewMetadata().withName(d.getMetadata().getName() + "." + UUID.randomUUID().toString()
                            .replace("-", "").substring(0, 16)).withNamespace(namespace)
                    .addToLabels(Names.APP_LABEL, app).endMetadata()
                    .withNewInvolvedObject().withApiVersion("apps/v1").withKind("Deployment")
                    .withName(d.getMetadata().getName()).withNamespace(namespace).withUid(d.getMetadata().getUid())
                    .withResourceVersion(d.getMetadata().getResourceVersion()).endInvolvedObject()
                    .withType(type).withReason(reason).withMessage(shown(message))
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .withReportingComponent(COMPONENT).withReportingInstance(instance)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .build();
            try {
                client.v1().events().inNamespace(namespace).resource(event).create();
            } catch (KubernetesClientException e) {
                LOG.warn("could not record event {} on {}: {}", reason, d.getMetadata().getName(), e.getMessage());
            }
        }
    }

    /**
     * A message as {@code kubectl describe} prints it to a terminal: a cause quoted from outside (a bot's answer, a
     * plan's value) has its control characters written out, so an escape sequence in it is shown, never run.
     */
    private static String shown(String message) {
        return VisibleText.cut(VisibleText.of(message), MESSAGE_MAX - 1); // with its "…"
    }

    private List<Deployment> deployments(String app) {
        try {
            return client.apps().deployments().inNamespace(namespace).withLabel(Names.APP_LABEL, app)
                    .withLabel(Names.MANAGED_BY_LABEL, Names.MANAGER).list().getItems();
        } catch (KubernetesClientException e) {
            LOG.warn("could not list deployments of {}: {}", app, e.getMessage());
            return List.of();
        }
    }

    /** SHIFTING, DRAINING_BLUE → Shifting, DrainingBlue: Event reasons are UpperCamelCase by convention. */
    static String camel(String phase) {
        StringBuilder out = new StringBuilder();
        for (String part : phase.toLowerCase(java.util.Locale.ROOT).split("[_\\s-]+")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }
}
