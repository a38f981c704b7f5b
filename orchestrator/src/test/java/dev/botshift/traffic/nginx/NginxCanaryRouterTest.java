package dev.botshift.traffic.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.kubernetes.testing.MockCluster;
import dev.botshift.traffic.WeightCheck;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatusBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NginxCanaryRouterTest extends MockCluster {
    private NginxCanaryRouter router;

    @BeforeEach
    void createPrimaryIngressFromTheShippedManifest() throws Exception {
        createShipped("manifests/nginx/ingress.yaml", Ingress.class);
        router = new NginxCanaryRouter(client, NS, "sentiment-bot", "sentiment-bot");
    }

    private Ingress get(String name) {
        return client.network().v1().ingresses().inNamespace(NS).withName(name).get();
    }

    private static String backend(Ingress ing) {
        return ing.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getName();
    }

    /** What ingress-nginx writes once it serves an Ingress: its address in status.loadBalancer. */
    private void controllerAdmitsCanary() {
        for (String name : new String[]{"sentiment-bot", "sentiment-bot-canary"}) {
            Ingress ing = get(name);
            ing.setStatus(new IngressStatusBuilder().withNewLoadBalancer()
                    .withIngress(new IngressLoadBalancerIngressBuilder().withIp("192.0.2.10").build()).endLoadBalancer()
                    .build());
            client.network().v1().ingresses().inNamespace(NS).resource(ing).updateStatus();
        }
    }

    private void edit(String name, java.util.function.Consumer<Ingress> change) {
        Ingress ing = get(name);
        change.accept(ing);
        client.network().v1().ingresses().inNamespace(NS).resource(ing).update();
    }

    @Test
    void aCanaryIngressTakesTheGreenShareAndIsVerifiedOnceAdmitted() {
        router.setWeights(new Weights(75, 25));

        Ingress canary = get("sentiment-bot-canary");
        assertThat(canary.getMetadata().getAnnotations())
                .containsEntry("nginx.ingress.kubernetes.io/canary", "true")
                .containsEntry("nginx.ingress.kubernetes.io/canary-weight", "25");
        assertThat(backend(canary)).isEqualTo("sentiment-bot-b");
        assertThat(canary.getSpec().getRules().get(0).getHost())
                .isEqualTo(get("sentiment-bot").getSpec().getRules().get(0).getHost());
        assertThat(backend(get("sentiment-bot"))).isEqualTo("sentiment-bot-a");
        assertThat(router.verify(new Weights(75, 25))).isInstanceOf(WeightCheck.Unknown.class);

        controllerAdmitsCanary();
        assertThat(router.verify(new Weights(75, 25))).isEqualTo(new WeightCheck.Matches());
        assertThat(router.verify(new Weights(50, 50))).isEqualTo(new WeightCheck.Differs(new Weights(75, 25)));
    }

    @Test
    void fullShiftMovesThePrimaryToGreenAndEmptiesTheCanary() {
        router.setWeights(new Weights(50, 50));
        controllerAdmitsCanary();

        router.setWeights(Weights.allTo(Slot.B));

        assertThat(backend(get("sentiment-bot"))).isEqualTo("sentiment-bot-b");
        Ingress canary = get("sentiment-bot-canary");
        assertThat(backend(canary)).isEqualTo("sentiment-bot-a");
        assertThat(canary.getMetadata().getAnnotations())
                .containsEntry("nginx.ingress.kubernetes.io/canary-weight", "0");
        assertThat(router.verify(Weights.allTo(Slot.B))).isEqualTo(new WeightCheck.Matches());

        // the next release canaries blue against the now-primary green
        router.setWeights(new Weights(10, 90));
        assertThat(backend(get("sentiment-bot-canary"))).isEqualTo("sentiment-bot-a");
        assertThat(router.verify(new Weights(10, 90))).isEqualTo(new WeightCheck.Matches());
    }

    @Test
    void theCanaryTakesTheIngressClassWhetherSetByFieldOrByTheLegacyAnnotation() {
        assertThat(get("sentiment-bot").getSpec().getIngressClassName()).isEqualTo("nginx");
        router.setWeights(new Weights(90, 10));
        assertThat(get("sentiment-bot-canary").getSpec().getIngressClassName()).isEqualTo("nginx");

        edit("sentiment-bot", primary -> {
            primary.getSpec().setIngressClassName(null);
            primary.getMetadata().setAnnotations(java.util.Map.of("kubernetes.io/ingress.class", "nginx-internal"));
        });
        router.setWeights(new Weights(75, 25));
        Ingress canary = get("sentiment-bot-canary");
        assertThat(canary.getSpec().getIngressClassName()).isNull();
        assertThat(canary.getMetadata().getAnnotations()).containsEntry("kubernetes.io/ingress.class", "nginx-internal")
                .containsEntry("nginx.ingress.kubernetes.io/canary-weight", "25");
        controllerAdmitsCanary();
        assertThat(router.verify(new Weights(75, 25))).isEqualTo(new WeightCheck.Matches());

        // a canary of another class is served by another controller (or none): the split is not what we set
        edit("sentiment-bot-canary", c -> c.getMetadata().getAnnotations().put("kubernetes.io/ingress.class", "other"));
        WeightCheck other = router.verify(new Weights(75, 25));
        assertThat(other).isInstanceOf(WeightCheck.Unknown.class);
        assertThat(((WeightCheck.Unknown) other).why()).contains("ingress class other", "nginx-internal");
    }

    @Test
    void aCanaryThatNoLongerMirrorsThePrimaryOrAPrimaryNotAdmittedIsNotVerified() {
        router.setWeights(new Weights(75, 25));
        controllerAdmitsCanary();
        assertThat(router.verify(new Weights(75, 25))).isEqualTo(new WeightCheck.Matches());

        edit("sentiment-bot", primary -> primary.getSpec().getRules().get(0).setHost("new.example.com"));
        WeightCheck moved = router.verify(new Weights(75, 25));
        assertThat(moved).isInstanceOf(WeightCheck.Unknown.class);
        assertThat(((WeightCheck.Unknown) moved).why()).contains("no longer mirror");

        edit("sentiment-bot", primary -> primary.setStatus(null));
        router.setWeights(new Weights(75, 25)); // mirrors the primary again
        WeightCheck notAdmitted = router.verify(new Weights(75, 25));
        assertThat(notAdmitted).isInstanceOf(WeightCheck.Unknown.class);
        assertThat(((WeightCheck.Unknown) notAdmitted).why()).contains("admitted sentiment-bot ");
    }
}
