package dev.botshift.workload.kubernetes;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Optional;

/**
 * What a pod's readiness probe last answered, in the kubelet's words: its {@code Unhealthy} Event ("Readiness probe
 * failed: HTTP probe failed with statuscode: 404"). A pod's status only says that the probe has not passed; without
 * this a user had to run {@code kubectl describe pod} to learn why green never got ready.
 */
final class ProbeAnswers {
    /** The kubelet's reason for a probe that failed. */
    private static final String UNHEALTHY = "Unhealthy";
    private static final String READINESS = "Readiness probe";

    private ProbeAnswers() {
    }

    /**
     * The message of {@code pod}'s latest readiness-probe Event in {@code namespace}; empty when there is none, or the
     * Events cannot be read (the pointer at {@code kubectl describe pod} then stays).
     */
    static Optional<String> latest(KubernetesClient client, String namespace, String pod) {
        try {
            // the API server selects by the involved object; the check below keeps the answer right wherever it does not
            return client.v1().events().inNamespace(namespace).withField("involvedObject.name", pod).list().getItems()
                    .stream()
                    .filter(e -> e.getInvolvedObject() != null && pod.equals(e.getInvolvedObject().getName())
                            && "Pod".equals(e.getInvolvedObject().getKind()) && UNHEALTHY.equals(e.getReason())
                            && e.getMessage() != null && e.getMessage().startsWith(READINESS))
                    .max(Comparator.comparing(ProbeAnswers::when))
                    .map(Event::getMessage);
        } catch (KubernetesClientException e) {
            return Optional.empty();
        }
    }

    /** When the kubelet last saw it: {@code lastTimestamp}, else {@code eventTime}, else the Event's creation. */
    private static Instant when(Event e) {
        String at = e.getLastTimestamp() != null ? e.getLastTimestamp()
                : e.getEventTime() != null ? e.getEventTime().getTime()
                : e.getMetadata() == null ? null : e.getMetadata().getCreationTimestamp();
        try {
            return at == null ? Instant.MIN : Instant.parse(at);
        } catch (DateTimeParseException unreadable) {
            return Instant.MIN;
        }
    }
}
