package dev.botshift.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Split;
import dev.botshift.kubernetes.testing.MockCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubernetesEventsTest extends MockCluster {
    private KubernetesEvents events;

    @BeforeEach
    void twoColours() {
        for (String slot : List.of("a", "b")) {
            client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder().withNewMetadata()
                    .withName("sentiment-bot-" + slot).addToLabels(Names.APP_LABEL, "sentiment-bot")
                    .addToLabels(Names.SLOT_LABEL, slot).addToLabels(Names.MANAGED_BY_LABEL, Names.MANAGER)
                    .endMetadata().withNewSpec().withReplicas(1).endSpec().build()).create();
        }
        client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder().withNewMetadata()
                .withName("other-app").addToLabels(Names.APP_LABEL, "other").endMetadata().build()).create();
        // the app's own Deployment that Botshift does not manage (e.g. something of the user's named after the app)
        client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder().withNewMetadata()
                .withName("sentiment-bot-admin").addToLabels(Names.APP_LABEL, "sentiment-bot").endMetadata().build())
                .create();
        events = new KubernetesEvents(client, NS, Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC),
                "run-7");
    }

    private List<Event> eventsOn(String deployment) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> e.getInvolvedObject().getName().equals(deployment)).toList();
    }

    @Test
    void phaseChangesAndWeightsAreEventsAndAnnotationsOnEachDeploymentOfTheApp() {
        events.phaseChanged("sentiment-bot", "SHIFTING", "step 2 of 4: green 25%");
        events.splitChanged("sentiment-bot", new Split(75, 25));

        for (String name : List.of("sentiment-bot-a", "sentiment-bot-b")) {
            Deployment d = client.apps().deployments().inNamespace(NS).withName(name).get();
            assertThat(d.getMetadata().getAnnotations()).containsEntry("botshift.dev/phase", "SHIFTING")
                    .containsEntry("botshift.dev/weights", "blue=75,green=25");
            assertThat(eventsOn(name)).extracting(Event::getReason).containsExactlyInAnyOrder("PhaseShifting",
                    "TrafficShifted");
            Event phase = eventsOn(name).stream().filter(e -> e.getReason().equals("PhaseShifting")).findFirst()
                    .orElseThrow();
            assertThat(phase.getMessage()).isEqualTo("step 2 of 4: green 25%");
            assertThat(phase.getInvolvedObject().getKind()).isEqualTo("Deployment");
            assertThat(phase.getSource().getComponent()).isEqualTo("botshift");
            assertThat(phase.getReportingInstance()).isEqualTo("run-7");
            assertThat(phase.getLastTimestamp()).isEqualTo("2026-01-01T10:00:00Z");
            assertThat(eventsOn("sentiment-bot-admin")).as("not managed by Botshift: left alone").isEmpty();
        }
        assertThat(eventsOn("other-app")).isEmpty();
    }

    @Test
    void rollbackIsAWarningAndPromotionNormal() {
        events.rolledBack("sentiment-bot", "green error rate 12% > 5% twice");
        events.promoted("sentiment-bot", "2.0.0");

        List<Event> green = eventsOn("sentiment-bot-b");
        assertThat(green).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("RolledBack");
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).contains("12%");
        });
        assertThat(green).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("Promoted");
            assertThat(e.getType()).isEqualTo("Normal");
        });
        assertThat(client.apps().deployments().inNamespace(NS).withName("sentiment-bot-b").get().getMetadata()
                .getAnnotations()).containsEntry("botshift.dev/phase", "ROLLED_BACK");
        assertThat(KubernetesEvents.camel("DRAINING_BLUE")).isEqualTo("DrainingBlue");
    }

    @Test
    void aMessageIsShownAsKubectlPrintsItEscapedAndCut() {
        events.rolledBack("sentiment-bot", "green failed: \u001b]0;owned\u0007\u001b[2J" + "x".repeat(2_000)
                + "\nsecond line");

        Event rolledBack = eventsOn("sentiment-bot-b").get(0);
        assertThat(rolledBack.getMessage()).startsWith("green failed: \\u001B]0;owned\\u0007\\u001B[2Jxxx")
                .doesNotContain("\u001b", "\u0007").endsWith("x…")
                .hasSize(KubernetesEvents.MESSAGE_MAX);
    }
}
