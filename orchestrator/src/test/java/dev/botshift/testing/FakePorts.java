package dev.botshift.testing;

import dev.botshift.analysis.Counts;
import dev.botshift.analysis.MetricsProvider;
import dev.botshift.analysis.MetricsTarget;
import dev.botshift.analysis.Observation;
import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.platform.Platform;
import dev.botshift.platform.PlatformFactory;
import dev.botshift.rollout.Pauser;
import dev.botshift.rollout.Ports;
import dev.botshift.rollout.Repairs;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.schema.ApplyResult;
import dev.botshift.schema.LintReport;
import dev.botshift.schema.SchemaMigrator;
import dev.botshift.schema.SchemaPhase;
import dev.botshift.state.AppLock;
import dev.botshift.state.LockHeldException;
import dev.botshift.state.LockLostException;
import dev.botshift.state.StateConflictException;
import dev.botshift.state.StateStore;
import dev.botshift.traffic.GreenGuard;
import dev.botshift.traffic.GuardTrip;
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
import java.util.function.BiFunction;

/**
 * In-memory fakes of every port, with a shared log of what was done, for driving the real {@code RolloutSession}
 * without I/O: {@link #factory()} hands them to it as a platform.
 */
public final class FakePorts {
    public final List<String> log = new ArrayList<>();
    public final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    public final Schema schema = new Schema();
    public final FakeWorkloads workloads = new FakeWorkloads();
    public final Router router = new Router();
    public final Metrics metrics = new Metrics();
    public final MemoryStore store = new MemoryStore();
    /** What the platform "repaired" on its own, handed to the runner once. */
    public final List<Repairs.Repair> repairs = new ArrayList<>();

    public Ports ports() {
        return new Ports(schema, workloads, router, metrics, store, () -> {
            List<Repairs.Repair> taken = List.copyOf(repairs);
            repairs.clear();
            return taken;
        });
    }

    /** A platform of these fakes for every plan. */
    public PlatformFactory factory() {
        return (plan, progress) -> new TestPlatform(ports());
    }

    /** How far a test's fake clock may go: a rollout that waits for what the test never gives it fails, not hangs. */
    private static final Duration AT_MOST = Duration.ofHours(6);

    /**
     * Advances the fake clock instead of sleeping, and lets a test act between decisions. Past {@link #AT_MOST} after
     * its start it fails the test: a rollout paused for a human under a fake clock was looked at again and again,
     * never ending (a judge change made a test hang for 18 minutes of CPU, 2026-12-07).
     */
    public Pauser pauser(Runnable between) {
        Instant start = clock.instant();
        return d -> {
            clock.advance(d);
            if (clock.instant().isAfter(start.plus(AT_MOST))) {
                throw new AssertionError("the fake clock ran " + AT_MOST.toHours() + " hours: the rollout waits for "
                        + "what this test never gives it");
            }
            between.run();
        };
    }

    /** The process died. */
    public static final class Crash extends RuntimeException {
    }


    public final class Schema implements SchemaMigrator {
        public final List<SchemaPhase> applied = new ArrayList<>();
        public RuntimeException failOn;
        public SchemaPhase failPhase;
        /** The contract rehearsal the runner asks; none by default (skipped, the rollout goes on). */
        public dev.botshift.schema.ContractRehearsal rehearsal = dev.botshift.schema.ContractRehearsal.NONE;

        /** The expand rehearsal the runner asks; none by default (skipped, the rollout goes on). */
        public dev.botshift.schema.ExpandRehearsal expandRehearsal = dev.botshift.schema.ExpandRehearsal.NONE;

        @Override
        public dev.botshift.schema.ContractRehearsal rehearsal() {
            return rehearsal;
        }

        @Override
        public dev.botshift.schema.ExpandRehearsal expandRehearsal() {
            log.add("expand rehearsal");
            return expandRehearsal;
        }

        public LintReport lint() {
            return new LintReport("fake", List.of());
        }

        public String previewSql(SchemaPhase phase) {
            return "-- " + phase;
        }

        public ApplyResult apply(SchemaPhase phase) {
            log.add("schema " + phase.label());
            if (failOn != null && phase == failPhase) {
                RuntimeException e = failOn;
                failOn = null;
                throw e;
            }
            boolean first = !applied.contains(phase);
            applied.add(phase);
            return new ApplyResult(first ? List.of(phase.label() + "-1") : List.of(), 0);
        }
    }

    public final class FakeWorkloads implements Workloads {
        public final Map<Slot, String> versions = new EnumMap<>(Slot.class);
        public final Map<Slot, Integer> replicas = new EnumMap<>(Slot.class);
        /** readiness per colour once started; READY unless a test says otherwise */
        public final Map<Slot, Readiness> readinessOverride = new EnumMap<>(Slot.class);
        public RuntimeException failStart;
        /** When each colour was last started, on the fake clock. */
        public final Map<Slot, Instant> startedAt = new EnumMap<>(Slot.class);

        public void start(Slot slot, String version, int n) {
            log.add("start " + slot.label() + " " + version);
            if (failStart != null) {
                throw failStart;
            }
            versions.put(slot, version);
            replicas.put(slot, n);
            startedAt.put(slot, clock.instant());
        }

        public Readiness readiness(Slot slot) {
            if (!versions.containsKey(slot)) {
                return new Readiness.Absent();
            }
            return readinessOverride.getOrDefault(slot, new Readiness.Ready(replicas.get(slot)));
        }

        public void stop(Slot slot) {
            log.add("stop " + slot.label());
            versions.remove(slot);
            replicas.remove(slot);
        }

        public int running(Slot slot) {
            return replicas.getOrDefault(slot, 0);
        }
    }

    /**
     * A router with the Botshift router's guard as the rollout sees it: what it was armed with ({@link #guard}), a trip
     * a test makes happen ({@link #trip}: all to the other slot, then green is refused traffic until another
     * rollout arms its guard, as {@code traffic.router.TripHold} does).
     */
    public final class Router implements TrafficRouter {
        public Weights weights = Weights.allTo(Slot.A);
        public final List<Weights> history = new ArrayList<>();
        public int failuresLeft;
        public GreenGuard guard;
        public GuardTrip tripped;

        /** The router's guard cuts green now, with {@code why}. */
        public void trip(GuardTrip why) {
            log.add("guard tripped");
            weights = Weights.allTo(guard.slot().other());
            history.add(weights);
            tripped = why;
        }

        @Override
        public void setWeights(Weights w, GreenGuard g) {
            if (tripped != null && (g == null || g.rollout().equals(guard.rollout())) && w.of(guard.slot()) > 0) {
                throw new IllegalStateException("the router's guard cut green");
            }
            if (tripped != null && g != null && !g.rollout().equals(guard.rollout())) {
                tripped = null;
            }
            if (tripped == null) {
                guard = g;
            }
            setWeights(w);
        }

        public void setWeights(Weights w) {
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new IllegalStateException("router unreachable");
            }
            log.add("weights " + w.a() + "/" + w.b());
            if (history.isEmpty() || !w.equals(weights)) {
                history.add(w); // the splits in force, in order: setting the one in force again changes nothing
            }
            weights = w;
        }

        public WeightCheck verify(Weights expected) {
            if (tripped != null) {
                return new WeightCheck.Tripped(weights, guard.rollout(), tripped);
            }
            return expected.equals(weights) ? new WeightCheck.Matches() : new WeightCheck.Differs(weights);
        }
    }

    /**
     * Metrics that follow the router's weights: each observation adds {@code perInterval} requests split by weight,
     * with the given error rates per colour (set by the test, may change mid-rollout). When {@link #live}, requests
     * accrue with the fake clock instead, {@code perInterval} a second, so an observation between ticks sees only
     * what arrived since the last one (as the router's counters would).
     */
    public final class Metrics implements MetricsProvider {
        public final Map<Slot, Counts> totals = new EnumMap<>(Slot.class);
        public final Map<Slot, Double> errorRate = new EnumMap<>(Slot.class);
        private final Map<Slot, Instant> lastSeen = new EnumMap<>(Slot.class);
        public int perInterval = 400;
        public boolean live;
        public Observation override;
        public BiFunction<Slot, Counts, Observation> shape;
        /** Each read: the colour's storage slot and the fake clock's time. */
        public final List<Map.Entry<Slot, Instant>> reads = new ArrayList<>();

        @Override
        public boolean live() {
            return live;
        }

        public Observation observe(MetricsTarget target) {
            Slot slot = target.slot();
            reads.add(Map.entry(slot, clock.instant()));
            if (override != null) {
                return override;
            }
            Instant since = lastSeen.put(slot, clock.instant());
            double share = !live ? 1 : since == null ? 0 : Duration.between(since, clock.instant()).toMillis() / 1000.0;
            long n = Math.round(perInterval * share * router.weights.of(slot) / 100.0);
            long errs = Math.round(n * errorRate.getOrDefault(slot, 0.0));
            Counts c = totals.getOrDefault(slot, Counts.ZERO).plus(new Counts(n, errs));
            totals.put(slot, c);
            return shape == null ? new Observation.Measured(c) : shape.apply(slot, c);
        }
    }

    /** The store in memory: fenced writes (by holder name), an inbox, and a lock per app. */
    public static final class MemoryStore implements StateStore {
        final Map<String, Versioned> docs = new HashMap<>();
        public final Map<String, String> locks = new HashMap<>();
        final Map<String, java.util.LinkedHashMap<String, String>> inboxes = new HashMap<>();
        int version;
        /** simulates the deploy process dying right after a write */
        public java.util.function.Predicate<String> crashAfterWriting;

        public synchronized Optional<Versioned> read(String app) {
            return Optional.ofNullable(docs.get(app));
        }

        public synchronized Versioned write(String app, String json, String expectedVersion, AppLock lock) {
            if (!lock.holder().equals(locks.get(app))) {
                throw new LockLostException(app, "it is held by " + locks.get(app));
            }
            Versioned cur = docs.get(app);
            if (cur == null ? expectedVersion != null : !cur.version().equals(expectedVersion)) {
                throw new StateConflictException(app);
            }
            Versioned v = new Versioned(json, String.valueOf(++version));
            docs.put(app, v);
            if (crashAfterWriting != null && crashAfterWriting.test(json)) {
                throw new Crash();
            }
            return v;
        }

        public synchronized AppLock lock(String app, String holder, Duration ttl) {
            if (locks.containsKey(app)) {
                throw new LockHeldException(app, locks.get(app), Instant.EPOCH);
            }
            locks.put(app, holder);
            return new AppLock() {
                public String holder() {
                    return holder;
                }

                public Instant since() {
                    return Instant.EPOCH;
                }

                public void renew() {
                }

                public void check() {
                    if (!holder.equals(locks.get(app))) {
                        throw new LockLostException(app, "it is held by " + locks.get(app));
                    }
                }

                public void close() {
                    locks.remove(app, holder);
                }
            };
        }

        public synchronized void request(String app, String id, String json) {
            inboxes.computeIfAbsent(app, a -> new java.util.LinkedHashMap<>()).put(id, json);
        }

        public synchronized java.util.LinkedHashMap<String, String> requests(String app) {
            return new java.util.LinkedHashMap<>(inboxes.getOrDefault(app, new java.util.LinkedHashMap<>()));
        }

        public synchronized void consumed(String app, java.util.Collection<String> ids) {
            inboxes.getOrDefault(app, new java.util.LinkedHashMap<>()).keySet().removeAll(ids);
        }

        public RolloutState state(String app) {
            return RolloutStateCodec.decode(docs.get(app).json());
        }

        /** The rollout forgotten, as {@code botshift down} does. */
        public synchronized void forget(String app) {
            docs.remove(app);
        }
    }
}
