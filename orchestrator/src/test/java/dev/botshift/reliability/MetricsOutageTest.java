package dev.botshift.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.botshift.analysis.prometheus.PrometheusMetricsProvider;
import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.os.JdkHttpServer;
import dev.botshift.plan.AnalysisSpec.PrometheusSpec;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.Request;
import dev.botshift.rollout.ManualCommands;
import dev.botshift.schema.ApplyResult;
import dev.botshift.schema.LintReport;
import dev.botshift.schema.SchemaMigrator;
import dev.botshift.schema.SchemaPhase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Prometheus provider against an HTTP Prometheus that goes down, or stops having data, in the middle of a
 * traffic shift: the rollout holds its weights, pauses after the inconclusive limit, and never promotes on missing
 * data; once the data is back, resume finishes it.
 */
class MetricsOutageTest {
    @TempDir
    Path stateDir;
    HttpServer prometheus;
    final AtomicLong calls = new AtomicLong();
    volatile boolean noData;

    static final SchemaMigrator NO_SCHEMA = new SchemaMigrator() {
        public LintReport lint() {
            return new LintReport("none", List.of());
        }

        public String previewSql(SchemaPhase phase) {
            return "";
        }

        public ApplyResult apply(SchemaPhase phase) {
            return new ApplyResult(List.of(), 0);
        }
    };

    @AfterEach
    void stop() {
        if (prometheus != null) {
            prometheus.stop(0);
        }
    }

    /** Counters that grow by 100 requests per query and never an error: a healthy green as far as data goes. */
    private int startPrometheus(int port) throws IOException {
        prometheus = JdkHttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        prometheus.createContext("/api/v1/query", ex -> {
            String q = URLDecoder.decode(ex.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
            long value = q.contains("requests") ? calls.incrementAndGet() * 100 : 0;
            String result = noData ? "[]" : "[{\"metric\":{},\"value\":[1700000000,\"" + value + "\"]}]";
            byte[] body = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":" + result + "}}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        prometheus.start();
        return prometheus.getAddress().getPort();
    }

    private PrometheusMetricsProvider provider(int port) {
        return new PrometheusMetricsProvider(new PrometheusSpec("http://127.0.0.1:" + port,
                "sum(requests{slot=\"{{slot}}\"})", "sum(errors{slot=\"{{slot}}\"})", Duration.ofSeconds(1), false),
                new PrometheusMetricsProvider.Scope(OutageRig.APP, "", Duration.ofSeconds(1)));
    }

    /** 1.0.0 rolled out and live (judged through the Prometheus on {@code port}), then 2.0.0 deployed. */
    private OutageRig v2AfterV1Live(int port) throws Exception {
        OutageRig rig = new OutageRig(stateDir);
        rig.deploy("1.0.0");
        assertThat(rig.run(NO_SCHEMA, provider(port), false)).isInstanceOf(Outcome.Succeeded.class);
        rig.deploy("2.0.0");
        return rig;
    }

    @Test
    void prometheusGoingDownMidShiftPausesWithTheWeightsHeldAndResumeFinishes() throws Exception {
        int port = startPrometheus(0);
        OutageRig rig = v2AfterV1Live(port);
        boolean[] down = {false};
        rig.between.add(s -> {
            if (!down[0] && s.phase() instanceof Phase.Shifting sh && sh.step() == 1) {
                down[0] = true;
                prometheus.stop(0);
            }
        });
        Outcome o = rig.run(NO_SCHEMA, provider(port), true);

        assertThat(down[0]).isTrue();
        assertThat(o).isInstanceOf(Outcome.Waiting.class);
        assertThat(rig.state().phase()).isInstanceOf(Phase.Paused.class);
        assertThat(((Outcome.Waiting) o).what()).containsIgnoringCase("paused");
        assertThat(rig.router.weights).as("weights held at step 2").isEqualTo(new Weights(75, 25));
        assertThat(rig.router.history).as("never promoted on missing data").doesNotContain(Weights.allTo(Slot.B));

        startPrometheus(port);
        ManualCommands.append(rig.store, OutageRig.APP, Request.Kind.RESUME, "tester", rig.clock.instant());
        assertThat(rig.run(NO_SCHEMA, provider(port), false)).isInstanceOf(Outcome.Succeeded.class);
        assertThat(rig.router.weights).isEqualTo(Weights.allTo(Slot.B));
    }

    @Test
    void prometheusWithNoDataMidShiftPausesAndNeverPromotes() throws Exception {
        int port = startPrometheus(0);
        OutageRig rig = v2AfterV1Live(port);
        rig.between.add(s -> noData = noData || s.phase() instanceof Phase.Shifting sh && sh.step() == 2);
        Outcome o = rig.run(NO_SCHEMA, provider(port), true);

        assertThat(o).isInstanceOf(Outcome.Waiting.class);
        assertThat(rig.state().phase()).isInstanceOf(Phase.Paused.class);
        assertThat(rig.router.weights).isEqualTo(new Weights(50, 50));
        assertThat(rig.router.history).doesNotContain(Weights.allTo(Slot.B));
    }
}
