package dev.botshift.notify;

import dev.botshift.analysis.Counts;
import dev.botshift.analysis.JudgeSettings;
import dev.botshift.analysis.MetricsProvider;
import dev.botshift.analysis.Observation;
import dev.botshift.core.Colour;
import dev.botshift.core.Weights;
import dev.botshift.plan.Approval;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.Pauser;
import dev.botshift.rollout.Phase;
import dev.botshift.rollout.Ports;
import dev.botshift.rollout.Request;
import dev.botshift.rollout.RolloutListener;
import dev.botshift.rollout.RolloutRunner;
import dev.botshift.rollout.RolloutSettings;
import dev.botshift.rollout.RolloutStart;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.schema.ApplyResult;
import dev.botshift.schema.LintReport;
import dev.botshift.schema.SchemaMigrator;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.state.AppLock;
import dev.botshift.state.StateStore;
import dev.botshift.testing.MutableClock;
import dev.botshift.traffic.TrafficRouter;
import dev.botshift.traffic.WeightCheck;
import dev.botshift.workload.Readiness;
import dev.botshift.workload.Workloads;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The rollout core driven through in-memory ports and a fake clock (a trimmed copy of the rollout package's
 * package-private {@code Fakes}): v1 is made stable, then a release runs with the listeners a test hands in.
 */
final class ScriptedRollout {
    static final String APP = "bot";

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final Router router = new Router();
    final Map<Colour, Double> errorRate = new EnumMap<>(Colour.class);
    private final Map<Colour, String> versions = new EnumMap<>(Colour.class);
    private final Map<Colour, Counts> totals = new EnumMap<>(Colour.class);
    private final MemoryStore store = new MemoryStore();

    ScriptedRollout() throws InterruptedException {
        deploy("1.0.0");
        runner(Approval.NONE, List.of()).run(APP, false);
        router.history.clear();
    }

    /** Deploys {@code release} to the end; promotes at every gate like a reviewer would. */
    Outcome release(String release, Approval approval, List<RolloutListener> listeners) throws InterruptedException {
        deploy(release);
        return runner(approval, listeners).run(APP, false);
    }

    RolloutState state() {
        return RolloutStateCodec.decode(store.read(APP).orElseThrow().json());
    }

    private RolloutRunner runner(Approval approval, List<RolloutListener> listeners) {
        RolloutSettings settings = new RolloutSettings(List.of(10, 25, 50, 100), Duration.ofSeconds(10),
                Duration.ofSeconds(10), approval, Duration.ofSeconds(30), Duration.ofSeconds(1), 2,
                new JudgeSettings(0.05, 0.02, 20), 2, 5, 5);
        Pauser promoteAtGates = d -> {
            clock.advance(d);
            if (state().phase() instanceof Phase.AwaitingApproval && state().requests().isEmpty()) {
                RolloutState s = state();
                List<Request> r = new ArrayList<>(s.requests());
                r.add(new Request(UUID.randomUUID().toString(), Request.Kind.PROMOTE, "reviewer", clock.instant()));
                store.write(APP, RolloutStateCodec.encode(s.withRequests(r)), store.read(APP).orElseThrow().version());
            }
        };
        return new RolloutRunner(new Ports(new Schema(), new FakeWorkloads(), router, new Metrics(), store), settings,
                clock, promoteAtGates, listeners);
    }

    private void deploy(String release) {
        RolloutState existing = store.read(APP).map(v -> RolloutStateCodec.decode(v.json())).orElse(null);
        RolloutStart start = RolloutStart.decide(existing, APP, release, "/plan.yaml", "run-" + release,
                clock.instant());
        if (start instanceof RolloutStart.Fresh fresh) {
            store.write(APP, RolloutStateCodec.encode(fresh.state()), store.read(APP).map(StateStore.Versioned::version)
                    .orElse(null));
        }
    }

    static final class Schema implements SchemaMigrator {
        public LintReport lint() {
            return new LintReport("fake", List.of());
        }

        public String previewSql(SchemaPhase phase) {
            return "-- " + phase;
        }

        public ApplyResult apply(SchemaPhase phase) {
            return new ApplyResult(List.of(phase.label() + "-1"), 0);
        }
    }

    final class FakeWorkloads implements Workloads {
        public void start(Colour colour, String version, int n) {
            versions.put(colour, version);
        }

        public Readiness readiness(Colour colour) {
            return versions.containsKey(colour) ? new Readiness.Ready(2) : new Readiness.Absent();
        }

        public void stop(Colour colour) {
            versions.remove(colour);
        }

        public int running(Colour colour) {
            return versions.containsKey(colour) ? 2 : 0;
        }
    }

    static final class Router implements TrafficRouter {
        Weights weights = Weights.allTo(Colour.BLUE);
        final List<Weights> history = new ArrayList<>();

        public void setWeights(Weights w) {
            weights = w;
            history.add(w);
        }

        public WeightCheck verify(Weights expected) {
            return expected.equals(weights) ? new WeightCheck.Matches() : new WeightCheck.Differs(weights);
        }

        public String type() {
            return "fake";
        }
    }

    /** 400 requests per interval split by the router's weights, failing at the test's rate per colour. */
    final class Metrics implements MetricsProvider {
        public Observation observe(Colour colour) {
            long n = Math.round(400 * router.weights.of(colour) / 100.0);
            long errs = Math.round(n * errorRate.getOrDefault(colour, 0.0));
            Counts c = totals.getOrDefault(colour, Counts.ZERO).plus(new Counts(n, errs));
            totals.put(colour, c);
            return new Observation.Measured(c);
        }

        public String type() {
            return "fake";
        }
    }

    static final class MemoryStore implements StateStore {
        private final Map<String, Versioned> docs = new HashMap<>();
        private int version;

        public synchronized Optional<Versioned> read(String app) {
            return Optional.ofNullable(docs.get(app));
        }

        public synchronized Versioned write(String app, String json, String expectedVersion) {
            Versioned v = new Versioned(json, String.valueOf(++version));
            docs.put(app, v);
            return v;
        }

        public AppLock lock(String app, String holder, Duration ttl) {
            throw new UnsupportedOperationException("the runner does not lock");
        }
    }
}
