package dev.botshift.reliability;

import dev.botshift.analysis.MetricsProvider;
import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.plan.Approval;
import dev.botshift.platform.PlatformFactory;
import dev.botshift.platform.RolloutSession;
import dev.botshift.rollout.Outcome;
import dev.botshift.rollout.Pauser;
import dev.botshift.rollout.Ports;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.rollout.Until;
import dev.botshift.schema.SchemaMigrator;
import dev.botshift.state.StateStore;
import dev.botshift.state.local.FileStateStore;
import dev.botshift.testing.MutableClock;
import dev.botshift.testing.TestPlans;
import dev.botshift.testing.TestPlatform;
import dev.botshift.traffic.TrafficRouter;
import dev.botshift.traffic.WeightCheck;
import dev.botshift.workload.Readiness;
import dev.botshift.workload.Workloads;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The real {@link RolloutSession} with the adapter under test plugged in (real schema migrator or real metrics
 * provider), the real file state store, and in-memory workloads and router; a fake clock so a 10 s step takes no time.
 */
final class OutageRig {
    static final String APP = "outage-bot";

    final StateStore store;
    final Workloads workloads = new ReadyWorkloads();
    final RecordingRouter router = new RecordingRouter();
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final List<Consumer<RolloutState>> between = new ArrayList<>();
    private String release;
    private boolean fresh;

    OutageRig(Path stateDir) {
        this.store = new FileStateStore(stateDir);
    }

    /** The next {@link #run} deploys {@code release}; later runs resume it. */
    void deploy(String release) {
        this.release = release;
        this.fresh = true;
    }

    Outcome run(SchemaMigrator schema, MetricsProvider metrics, boolean detach) throws InterruptedException {
        Pauser pauser = d -> {
            clock.advance(d);
            RolloutState s = state();
            new ArrayList<>(between).forEach(c -> c.accept(s));
        };
        PlatformFactory platform = (plan, progress) -> new TestPlatform(
                new Ports(schema, workloads, router, metrics, store));
        RolloutSession.Mode mode = fresh ? RolloutSession.Mode.DEPLOY : RolloutSession.Mode.RESUME;
        fresh = false;
        return new RolloutSession(TestPlans.plan(APP, release, Approval.NONE), platform, Map.of(),
                new PrintStream(OutputStream.nullOutputStream()), clock, pauser).run(mode, null, detach ? Until.GATE : Until.FAILURE);
    }

    RolloutState state() {
        return RolloutStateCodec.decode(store.read(APP).orElseThrow().json());
    }

    /** Every started colour is ready at once; what runs is remembered. */
    static final class ReadyWorkloads implements Workloads {
        final Map<Slot, Integer> running = new EnumMap<>(Slot.class);

        @Override
        public void start(Slot slot, String version, int replicas) {
            running.put(slot, replicas);
        }

        @Override
        public Readiness readiness(Slot slot) {
            return running.containsKey(slot) ? new Readiness.Ready(running.get(slot)) : new Readiness.Absent();
        }

        @Override
        public void stop(Slot slot) {
            running.remove(slot);
        }

        @Override
        public int running(Slot slot) {
            return running.getOrDefault(slot, 0);
        }
    }

    static final class RecordingRouter implements TrafficRouter {
        Weights weights = Weights.allTo(Slot.A);
        final List<Weights> history = new ArrayList<>();

        @Override
        public void setWeights(Weights w) {
            weights = w;
            history.add(w);
        }

        @Override
        public WeightCheck verify(Weights expected) {
            return expected.equals(weights) ? new WeightCheck.Matches() : new WeightCheck.Differs(weights);
        }

    }
}
