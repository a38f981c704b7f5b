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
        RolloutTrial rollout = rig.deploy(Release.healthy("2.0.0", 0, step));
        double seconds = (System.nanoTime() - t0) / 1e9;
        ChatStats after = chats.stats();
        long total = after.sent() - before.sent();
        System.err.printf(java.util.Locale.ROOT, "  [part 4] rollout 2.0.0: %s in %.1f s, %d requests, %d failed %s%n",
                rollout.describe(), seconds, total, after.failedDeliveries() - before.failedDeliveries(),
                causes(before, after));
        LatencyProbe.Result probe = new LatencyProbe().run(rig.routerWebhook(), rig.botWebhook(rollout.outcome().state().candidate()),
                probePairs, 1_000_000_000_000L);
        return new Result(rollout, total, after.failedDeliveries() - before.failedDeliveries(), causes(before, after),
                total / seconds, probe);
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
