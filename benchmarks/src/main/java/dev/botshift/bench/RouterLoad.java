package dev.botshift.bench;

import dev.botshift.bench.RolloutRig.Release;
import dev.botshift.demo.ChatPlatform;
import dev.botshift.demo.ChatStats;
import java.io.IOException;
import java.time.Duration;

/**
 * Part 4: a full healthy rollout (v1 to v2: expand, green up, 10/25/50/100 %, bake, drain, contract, tear down) while a
 * chat platform sends at least 200 requests/s through the Botshift router; every delivery that was not answered 2xx
 * counts as failed. Then the {@link LatencyProbe} against the new stable colour, under the same load.
 */
final class RouterLoad {
    /** @param failedByCause the failed deliveries by cause ("HTTP 502", "timeout", …) */
    record Result(RolloutTrial rollout, long total, long failed, java.util.Map<String, Long> failedByCause,
                  double achievedRate, LatencyProbe.Result probe) {
    }

    private final RolloutRig rig;
    private final Duration step;
    private final int probePairs;

    RouterLoad(RolloutRig rig, Duration step, int probePairs) {
        this.rig = rig;
        this.step = step;
        this.probePairs = probePairs;
    }

    Result run(ChatPlatform chats) throws InterruptedException, IOException {
        ChatStats before = chats.stats();
        long t0 = System.nanoTime();
        FailureClock clock = new FailureClock(chats);
        RolloutTrial rollout;
        try {
            rollout = rig.deploy(Release.healthy("2.0.0", 0, step));
        } finally {
            clock.close();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ChatStats after = chats.stats();
        System.err.println("  [part 4] failed deliveries by the phase they were seen in: "
                + clock.byPhase(rollout.outcome().state().history()));
        long total = after.sent() - before.sent();
        System.err.printf(java.util.Locale.ROOT, "  [part 4] rollout 2.0.0: %s in %.1f s, %d requests, %d failed %s%n",
                rollout.describe(), seconds, total, after.failedDeliveries() - before.failedDeliveries(),
                causes(before, after));
        LatencyProbe.Result probe = new LatencyProbe().run(rig.routerWebhook(), rig.botWebhook(rollout.outcome().state().candidate()),
                probePairs, 1_000_000_000_000L);
        return new Result(rollout, total, after.failedDeliveries() - before.failedDeliveries(), causes(before, after),
                total / seconds, probe);
    }

    /**
     * When failed deliveries were seen: the chat platform's count every 200 ms, so part 4 can say in which phase of
     * the rollout (from its recorded history) they happened.
     */
    static final class FailureClock implements AutoCloseable {
        private final java.util.concurrent.ScheduledExecutorService ticker =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        private final java.util.List<java.util.Map.Entry<java.time.Instant, Long>> samples =
                java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        FailureClock(ChatPlatform chats) {
            ticker.scheduleAtFixedRate(() -> samples.add(java.util.Map.entry(java.time.Instant.now(),
                    chats.stats().failedDeliveries())), 0, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        /** Failures counted in each sample period, added up under the phase the rollout was in at its end. */
        java.util.Map<String, Long> byPhase(java.util.List<dev.botshift.rollout.RolloutEvent> history) {
            java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
            java.util.List<java.util.Map.Entry<java.time.Instant, Long>> copy;
            synchronized (samples) {
                copy = new java.util.ArrayList<>(samples);
            }
            for (int i = 1; i < copy.size(); i++) {
                long failed = copy.get(i).getValue() - copy.get(i - 1).getValue();
                if (failed > 0) {
                    out.merge(phaseAt(history, copy.get(i).getKey()), failed, Long::sum);
                }
            }
            return out;
        }

        private static String phaseAt(java.util.List<dev.botshift.rollout.RolloutEvent> history, java.time.Instant t) {
            String phase = "before the rollout";
            for (dev.botshift.rollout.RolloutEvent e : history) {
                if (e.at().isAfter(t)) {
                    break;
                }
                if (e instanceof dev.botshift.rollout.RolloutEvent.PhaseChanged c) {
                    phase = c.to().code() + (c.to() instanceof dev.botshift.rollout.Phase.Shifting sh
                            ? " " + sh.step() : "");
                }
            }
            return phase;
        }

        @Override
        public void close() {
            ticker.shutdownNow();
        }
    }

    /** The failed deliveries during the rollout by cause ("HTTP 502", "timeout", …), e.g. {timeout=3}. */
    static java.util.Map<String, Long> causes(ChatStats before, ChatStats after) {
        java.util.Map<String, Long> during = new java.util.TreeMap<>();
        after.failedByCause().forEach((cause, n) -> {
            long d = n - before.failedByCause().getOrDefault(cause, 0L);
            if (d > 0) {
                during.put(cause, d);
            }
        });
        return during;
    }
}
