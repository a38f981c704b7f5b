package dev.botshift.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.botshift.demo.ChatLedger;
import dev.botshift.os.CleanUpOnSignal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark harness: {@code ./benchmarks/run [--quick]}. Prints one table per part and, as its last line,
 * {@code BENCH key=value ...}. A key that this run could not measure is printed as {@code NA}, never invented.
 * See docs/benchmarks.md.
 */
public final class Bench {
    private static final double BRIDGE_RATE = 50;
    private static final int BRIDGE_CHATS = 60;
    /** Every part, in the order a full run takes them. */
    private static final List<String> PARTS = List.of("stall", "rollouts", "detection", "latency", "footprint", "bridge",
            "proxy", "handover", "forged", "looks", "steps", "blips");
    /**
     * Parts 2 and 4: the chat platform's messages a second ({@code --chat-rate=N}). 200 is the demo's; a higher rate
     * gives green more answers a second at each step, i.e. more evidence per interval.
     */
    static final int DEFAULT_CHAT_RATE = 200;
    private static final String CHAT_RATE_OPTION = "--chat-rate=";
    private static final int MIN_CHAT_RATE = 50;
    private static final int MAX_CHAT_RATE = 1_000;
    private final Map<String, String> keys = new LinkedHashMap<>();
    private final List<String> table = new ArrayList<>();
    private final int chatRate;

    private Bench(int chatRate) {
        this.chatRate = chatRate;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("liquibase.analytics.enabled", "false");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        boolean quick = List.of(args).contains("--quick");
        String only = List.of(args).stream().filter(a -> a.startsWith("--only=")).map(a -> a.substring(7)).findFirst()
                .orElse("");
        String rate = List.of(args).stream().filter(a -> a.startsWith(CHAT_RATE_OPTION))
                .map(a -> a.substring(CHAT_RATE_OPTION.length())).findFirst().orElse(String.valueOf(DEFAULT_CHAT_RATE));
        for (String a : args) {
            if (!a.equals("--quick") && !a.startsWith("--only=") && !a.startsWith(CHAT_RATE_OPTION)) {
                System.err.println("benchmarks: unknown argument '" + a + "' (usage: ./benchmarks/run [--quick]"
                        + " [--only=" + String.join(",", PARTS) + "] [" + CHAT_RATE_OPTION + "N])");
                System.exit(2);
            }
        }
        if (!rate.matches("[0-9]{1,4}") || Integer.parseInt(rate) < MIN_CHAT_RATE
                || Integer.parseInt(rate) > MAX_CHAT_RATE) {
            System.err.println("benchmarks: --chat-rate: '" + rate + "' is not a whole number of messages a"
                    + " second from " + MIN_CHAT_RATE + " to " + MAX_CHAT_RATE + " (default " + DEFAULT_CHAT_RATE + ")");
            System.exit(2);
        }
        for (String part : only.isEmpty() ? List.<String>of() : List.of(only.split(","))) {
            if (!PARTS.contains(part)) {
                System.err.println("benchmarks: --only: unknown part '" + part + "' (the parts: "
                        + String.join(", ", PARTS) + ")");
                System.exit(2);
            }
        }
        Path repo = Path.of(System.getProperty("botshift.repo", ".")).toAbsolutePath().normalize();
        // a Ctrl-C or SIGTERM stops the run and still stops the bots, routers, nginx and databases it started
        try (CleanUpOnSignal signal = CleanUpOnSignal.forThisThread(Duration.ofSeconds(60), System.err,
                "benchmarks: stopped before the end; no BENCH line")) {
            try {
                new Bench(Integer.parseInt(rate)).run(repo, quick, only);
            } catch (InterruptedException stopped) {
                // said when the signal's clean-up closes
            }
        }
    }

    /** {@code only}: empty for every part, or a comma-separated subset of {@link #PARTS}. */
    private void run(Path repo, boolean quick, String only) throws Exception {
        List<String> parts = only.isEmpty() ? PARTS : List.of(only.split(","));
        long t0 = System.nanoTime();
        table.add("Botshift benchmarks (" + (quick ? "--quick" : "full") + "), " + Runtime.getRuntime().availableProcessors()
                + " CPUs, load average at start " + loadAverage());
        if (parts.contains("stall")) {
            migration(repo, quick ? 100_000 : 1_000_000);
        }
        if (parts.contains("rollouts")) {
            RolloutsPart.run(repo, quick, chatRate, table, keys);
        }
        if (parts.contains("detection")) {
            detection(quick);
        }
        if (parts.contains("latency")) {
            latency(quick);
        }
        if (parts.contains("footprint")) {
            footprint(repo);
        }
        if (parts.contains("bridge")) {
            bridge(quick);
        }
        if (parts.contains("proxy")) {
            proxy(quick);
        }
        if (parts.contains("handover")) {
            handover(repo, quick);
        }
        if (parts.contains("forged")) {
            ForgedPart.run(repo, quick, table, keys);
        }
        if (parts.contains("looks")) {
            looks(quick);
        }
        if (parts.contains("steps")) {
            steps(quick);
        }
        if (parts.contains("blips")) {
            blips(quick);
        }
        table.add(String.format(Locale.ROOT, "total wall time %.0f s, load average at end %s", (System.nanoTime() - t0) / 1e9,
                loadAverage()));
        table.forEach(System.out::println);
        StringBuilder line = new StringBuilder("BENCH");
        keys.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line);
    }

    private void migration(Path repo, long rows) throws Exception {
        List<MigrationStall.Result> results = new MigrationStall(repo, rows).run();
        table.add("");
        table.add(String.format(Locale.ROOT, "1. Migration stall: sample v2 expand+contract, %,d rows, 200 req/s "
                + "(2 inserts : 1 update : 1 read), lock_timeout 500ms", rows));
        table.add(String.format(Locale.ROOT, "   %-18s %8s %8s %8s %9s %13s %8s %8s", "variant", "max ms", "p99 ms",
                "p50 ms", "requests", "failed writes", "retries", "DDL s"));
        int retries = 0;
        for (MigrationStall.Result r : results) {
            table.add(String.format(Locale.ROOT, "   %-18s %8d %8d %8d %9d %13d %8d %8.1f", r.variant().name(), r.maxMs(),
                    r.p99Ms(), r.p50Ms(), r.requests(), r.failedWrites(), r.retries(), r.ddlSeconds()));
            retries += r.retries();
        }
        MigrationStall.Result b = results.get(0);
        MigrationStall.Result p = results.get(1);
        MigrationStall.Result bb = results.get(2);
        MigrationStall.Result pb = results.get(3);
        keys.put("stall_max_ms_botshift", String.valueOf(Math.max(b.maxMs(), bb.maxMs())));
        keys.put("stall_max_ms_plain", String.valueOf(Math.max(p.maxMs(), pb.maxMs())));
        keys.put("stall_p99_ms_botshift", String.valueOf(b.p99Ms()));
        keys.put("stall_p99_ms_plain", String.valueOf(p.p99Ms()));
        keys.put("blocker_stall_max_ms_botshift", String.valueOf(bb.maxMs()));
        keys.put("blocker_stall_max_ms_plain", String.valueOf(pb.maxMs()));
        keys.put("failed_writes_botshift", String.valueOf(b.failedWrites() + bb.failedWrites()));
        keys.put("failed_writes_plain", String.valueOf(p.failedWrites() + pb.failedWrites()));
        keys.put("ddl_retries", String.valueOf(retries));
    }

    private void detection(boolean quick) {
        DetectionSim.Result r = new DetectionSim(100, quick ? 2_000 : 10_000, 60).run();
        table.add("");
        table.add(String.format(Locale.ROOT, "3. Detection (simulation): green %d req/interval, blue 3x, baseline 1%%, "
                + "spike 5%%; false alarms over %d healthy runs of %d intervals", r.greenPerInterval(), r.healthyRuns(),
                r.intervalsPerRun()));
        table.add(String.format(Locale.ROOT, "   Botshift (Judge, failureLimit %d, cumulative %d): false alarms %.4f, median %.0f "
                + "green requests to detect (%.0f for a 10%% spike)", DetectionSim.FAILURE_LIMIT, DetectionSim.CUMULATIVE_LIMIT,
                r.judgeFalseAlarm(), r.judgeMedianSamples(), r.judgeMedianSamples10()));
        table.add(String.format(Locale.ROOT, "   threshold T=%.2f%%, K=%d:                   false alarms %.4f, median %.0f "
                + "green requests to detect (%.0f for a 10%% spike)", r.threshold() * 100, DetectionSim.K,
                r.thresholdFalseAlarm(), r.thresholdMedianSamples(), r.thresholdMedianSamples10()));
        table.add(String.format(Locale.ROOT, "   (next looser threshold T=%.2f%%, K=%d:    false alarms %.4f, median %.0f green "
                + "requests to detect: noisier than Botshift)", r.looserThreshold() * 100, DetectionSim.K,
                r.looserFalseAlarm(), r.looserMedianSamples()));
        table.add(String.format(Locale.ROOT, "   reference: CUSUM told both rates, h=%.2f:      false alarms %.4f, median %.0f "
                + "green requests to detect (a bound: it knows what the others must estimate)", r.oracleThreshold(),
                r.oracleFalseAlarm(), r.oracleMedianSamples()));
        table.add(String.format(Locale.ROOT, "   Botshift / CUSUM at equal false alarms: median %.0f / %.0f = %.2f; mean %.0f / "
                + "%.0f = %.2f", r.judgeMedianSamples(), r.oracleMedianSamples(), r.vsOracle(), r.judgeMeanSamples(),
                r.oracleMeanSamples(), r.judgeMeanSamples() / r.oracleMeanSamples()));
        keys.put("detect_samples_ratio", String.format(Locale.ROOT, "%.2f", r.ratio()));
        keys.put("detect_vs_oracle", fmt(r.vsOracle()));
    }

    private void looks(boolean quick) {
        int runs = quick ? 2_000 : 20_000;
        List<LookedMarginSim.Row> rows = new LookedMarginSim(runs, 60).run(50, 100, 200, 500, 1000);
        table.add("");
        table.add(String.format(Locale.ROOT, "11. The looks' margin (simulation): false alarms of the judge's sums walked through "
                + "%d looks an interval against the same sums read once, same traffic; blue 3x green, 1%% errors, %d healthy "
                + "runs of 60 intervals per rate", LookedMarginSim.LOOKS, runs));
        double worst = 0;
        for (LookedMarginSim.Row r : rows) {
            table.add(String.format(Locale.ROOT, "   green %4d req/interval (%5.1f a look): read once %.3f%%, walked %.3f%%, "
                    + "ratio %.2f", r.greenPerInterval(), r.greenPerInterval() / (double) LookedMarginSim.LOOKS,
                    r.readOnce() * 100, r.walked() * 100, r.ratio()));
            worst = Math.max(worst, r.walked());
        }
        keys.put("looked_false_alarms_max", String.format(Locale.ROOT, "%.4f", worst));
    }

    private void steps(boolean quick) {
        int spikes = quick ? 2_000 : 10_000;
        int healthy = quick ? 2_000 : 100_000; // enough false rollbacks (tens) to tell the two ways apart
        java.time.Duration step = quick ? RollbackTrials.QUICK_STEP : RollbackTrials.STEP;
        StepBaselineSim sim = new StepBaselineSim(chatRate, step, spikes, healthy);
        table.add("");
        table.add(String.format(Locale.ROOT, "12. A step's baseline (simulation): part 2's rollout at %d messages/s (steps %s of "
                + "%d s and a bake as long, interval 1 s, %d looks), the judge and the router's guard request by request; "
                + "blue's error baseline started again at every step against carried through the next step where blue "
                + "serves; same traffic both ways; %d spike trials (reaction to the first decision, plumbing left out), %d "
                + "healthy", chatRate, java.util.Arrays.toString(StepBaselineSim.STEPS), step.toSeconds(),
                StepBaselineSim.LOOKS, spikes, healthy));
        StepBaselineSim.Way reset = sim.run(false);
        StepBaselineSim.Way carried = sim.run(true);
        for (var way : List.of(java.util.Map.entry("started again", reset), java.util.Map.entry("carried", carried))) {
            StepBaselineSim.Way w = way.getValue();
            table.add(String.format(Locale.ROOT, "   %-13s reaction p50 %.2f s, p95 %.2f s, p99 %.2f s, past 2 s %.1f %%; the "
                    + "guard decided %.0f %%; false rollbacks %d of %d (%.3f %%)", way.getKey(), w.quantile(0.5),
                    w.quantile(0.95), w.quantile(0.99), 100 * w.over(2), 100.0 * w.byGuard() / w.reactions().length,
                    w.falseAlarms(), w.healthyRuns(), 100.0 * w.falseAlarms() / w.healthyRuns()));
        }
        keys.put("steps_p95_reset_s", fmt(reset.quantile(0.95)));
        keys.put("steps_p95_carried_s", fmt(carried.quantile(0.95)));
        keys.put("steps_false_reset", String.valueOf(reset.falseAlarms()));
        keys.put("steps_false_carried", String.valueOf(carried.falseAlarms()));
    }

    private void blips(boolean quick) {
        int runs = quick ? 500 : 4_000;
        SharedBlipSim sim = new SharedBlipSim(runs);
        table.add("");
        table.add(String.format(Locale.ROOT, "13. Shared blips read once (simulation): intervals of %.0f s read once, both colours "
                + "at 1 %%, green at %d %%, a shared outage in several intervals in a row (both colours failing every "
                + "request); rollouts rolled back with the blips against the same rollouts without them, %d each",
                SharedBlipSim.INTERVAL_SECONDS, SharedBlipSim.GREEN_PERCENT, runs));
        double worst = 0;
        int worstBaseline = 0;
        for (SharedBlipSim.Case c : List.of(new SharedBlipSim.Case(20, 0.6, 3), new SharedBlipSim.Case(20, 0.6, 6),
                new SharedBlipSim.Case(20, 1.0, 4), new SharedBlipSim.Case(100, 0.6, 4),
                new SharedBlipSim.Case(100, 1.0, 4))) {
            SharedBlipSim.Result r = sim.run(c);
            table.add(String.format(Locale.ROOT, "   %3.0f messages/s, %.1f s in %d intervals in a row: rolled back %d of %d "
                    + "(without the blips %d)", c.chatRate(), c.blipSeconds(), c.blips(), r.withBlips(), r.runs(),
                    r.without()));
            worst = Math.max(worst, r.withBlips() / (double) r.runs());
            worstBaseline = Math.max(worstBaseline, r.without());
        }
        keys.put("blip_false_rollbacks_max", String.format(Locale.ROOT, "%.4f", worst));
        keys.put("blip_false_rollbacks_baseline_max", String.format(Locale.ROOT, "%.4f", worstBaseline / (double) runs));
    }

    private void latency(boolean quick) {
        LatencySim.Result r = new LatencySim(100, quick ? 200 : 1_000, 60).run();
        table.add("");
        table.add(String.format(Locale.ROOT, "6. Latency (simulation): green %d req/interval, blue 3x, log-normal latencies "
                + "(median 50 ms, p99 160 ms), limits p99Max 800ms and +20%% over blue's p99, 0 errors; %d runs of %d "
                + "intervals each way", r.greenPerInterval(), r.runs(), r.intervals()));
        table.add(String.format(Locale.ROOT, "   Botshift (Judge, failureLimit %d, cumulative %d): healthy runs rolled back %d,"
                + " +300 ms runs rolled back %.3f (median interval %.0f)", DetectionSim.FAILURE_LIMIT,
                DetectionSim.CUMULATIVE_LIMIT, r.judgeFalseRollbacks(), r.judgeCaught(), r.judgeMedianIntervals()));
        table.add(String.format(Locale.ROOT, "   p99 estimate > blue's +20%%, K=%d:            healthy runs rolled back %d,"
                + " +300 ms runs rolled back %.3f (median interval %.0f)", DetectionSim.K, r.thresholdFalseRollbacks(),
                r.thresholdCaught(), r.thresholdMedianIntervals()));
        keys.put("latency_regression_caught", fmt(r.judgeCaught()));
        keys.put("latency_false_rollbacks", String.valueOf(r.judgeFalseRollbacks()));
        keys.put("latency_false_rollbacks_p99_threshold", String.valueOf(r.thresholdFalseRollbacks()));
    }

    private void footprint(Path repo) throws Exception {
        Footprint f = new Footprint(repo);
        double cold = f.coldStartSeconds(10);
        Footprint.Demo d = f.demo();
        JsonNode s = d.summary().path("scenarios");
        table.add("");
        table.add("5. Footprint");
        table.add(String.format(Locale.ROOT, "   botshift status cold start: median of 10 = %.2f s", cold));
        table.add(String.format(Locale.ROOT, "   botshift demo: exit %d, wall %.1f s, peak RSS %.0f MB (two deploys in one "
                + "process); faulty %s, healthy %s, %d messages sent / %d lost", d.exitCode(), d.wallSeconds(),
                d.peakRssMb(), s.path(0).path("outcome").asText(), s.path(1).path("outcome").asText(),
                d.summary().path("messages").path("sent").asLong(), d.summary().path("messages").path("lost").asLong()));
        keys.put("cli_cold_start_s", fmt(cold));
        keys.put("deploy_peak_rss_mb", String.format(Locale.ROOT, "%.0f", d.peakRssMb()));
        keys.put("demo_wall_s", String.format(Locale.ROOT, "%.1f", d.wallSeconds()));
    }

    private void bridge(boolean quick) throws Exception {
        String loadBefore = loadAverage();
        BridgeLatency.Result r = new BridgeLatency(BRIDGE_RATE, BRIDGE_CHATS, Duration.ofSeconds(5),
                Duration.ofSeconds(quick ? 10 : 30)).run();
        long[] b = r.bridgeMicros();
        long[] d = r.directMicros();
        table.add("");
        table.add(String.format(Locale.ROOT, "7. Polling bridge latency: %.0f updates/s from %d chats queued in a fake Bot API,"
                + " polled by the router process and delivered through its webhook port, beside %.0f/s POSTed straight "
                + "to the same bot; load average %s at the start of the part, %s at its end", BRIDGE_RATE, BRIDGE_CHATS,
                BRIDGE_RATE, loadBefore, loadAverage()));
        table.add(String.format(Locale.ROOT, "   bridge (queued -> bot): %d updates (%d queued while a long poll waited), "
                + "p50 %.2f ms p99 %.2f ms max %.2f ms, %d not delivered", b.length, r.queuedWhilePolled(),
                Stats.percentile(b, 0.5) / 1e3, Stats.percentile(b, 0.99) / 1e3, Stats.percentile(b, 1.0) / 1e3,
                r.bridgeMissing()));
        table.add(String.format(Locale.ROOT, "   direct (POST -> bot):   %d updates, p50 %.2f ms p99 %.2f ms max %.2f ms, %d not "
                + "delivered", d.length, Stats.percentile(d, 0.5) / 1e3, Stats.percentile(d, 0.99) / 1e3,
                Stats.percentile(d, 1.0) / 1e3, r.directMissing()));
        table.add(String.format(Locale.ROOT, "   added by the bridge: p50 %.2f ms, p99 %.2f ms (bridge / direct: p50 %.1fx, "
                + "p99 %.1fx)", r.addedMs(0.5), r.addedMs(0.99), r.ratio(0.5), r.ratio(0.99)));
        boolean complete = r.bridgeMissing() == 0 && r.directMissing() == 0 && b.length > 0;
        keys.put("bridge_added_latency_p50_ms", complete ? fmt(r.addedMs(0.5)) : "NA");
        keys.put("bridge_added_latency_p99_ms", complete ? fmt(r.addedMs(0.99)) : "NA");
        keys.put("bridge_latency_p99_ratio", complete ? fmt(r.ratio(0.99)) : "NA");
    }

    private void proxy(boolean quick) throws Exception {
        table.add("");
        String missing = ProxyThroughput.missingTool();
        if (missing != null) {
            table.add("8. Router throughput: not measured: " + missing);
            keys.put("router_rps_ratio", "NA");
            return;
        }
        String loadBefore = loadAverage();
        ProxyThroughput.Result r = new ProxyThroughput(Duration.ofSeconds(quick ? 3 : 5)).run();
        table.add(String.format(Locale.ROOT, "8. Router throughput: wrk (1 thread; cN = N connections, +Dms = each pausing D ms after an answer; %d s each) POSTing updates"
                + " through the Botshift router and nginx split_clients, 50/50 over the same two JDK-HttpServer backends;"
                + " direct = straight to one backend; load average %s at the start, %s at the end", quick ? 3 : 5,
                loadBefore, loadAverage()));
        table.add(String.format(Locale.ROOT, "   %-9s %s", "setting", ProxyThroughput.SETTINGS.stream()
                .map(c -> String.format(Locale.ROOT, "%15s", c.label())).collect(java.util.stream.Collectors.joining())));
        r.points().forEach((target, points) -> table.add(String.format(Locale.ROOT, "   %-9s %s", target, points.stream()
                .map(p -> String.format(Locale.ROOT, "%6.0f/s%5.1fms%s", p.rps(), p.p99Micros() / 1e3,
                        p.errors() > 0 ? "!" : " ")).collect(java.util.stream.Collectors.joining()))));
        double router = r.best("botshift");
        double nginx = r.best("nginx");
        table.add(String.format(Locale.ROOT, "   (requests/s and p99 per setting; ! = errors). Highest requests/s with p99 <= "
                + "5 ms: Botshift router %.0f, nginx %.0f, direct %.0f; ratio %.2f", router, nginx, r.best("direct"),
                router / nginx));
        table.add(String.format(Locale.ROOT, "   CPU per request, the proxy's own processes (settings c1 and up): Botshift "
                + "router %.1f us, nginx %.1f us (master and workers)", r.cpuMicrosPerRequest("botshift"),
                r.cpuMicrosPerRequest("nginx")));
        keys.put("router_rps_ratio", nginx > 0 ? fmt(router / nginx) : "NA");
    }

    private void handover(Path repo, boolean quick) throws Exception {
        String loadBefore = loadAverage();
        HandoverGap.Result r = new HandoverGap(repo, quick ? 10 : 20, Duration.ofSeconds(1)).run();
        ChatLedger l = r.ledger();
        table.add("");
        table.add(String.format(Locale.ROOT, "9. Polling handover: two sample bot processes polling a fake Bot API (2 s long"
                + " polls), 50 messages/s from 20 chats, the consumer switched %d times 1 s apart; load average %s at the "
                + "start, %s at the end", r.switches(), loadBefore, loadAverage()));
        long[] ms = r.switchMillis().stream().mapToLong(Long::longValue).sorted().toArray();
        table.add(String.format(Locale.ROOT, "   longest time no getUpdates was in flight: %.3f s (%s); the switches' own "
                + "gaps (stop confirmed -> start confirmed) p50 %d ms, max %d ms", r.maxGapSeconds(), r.where(),
                Stats.percentile(ms, 0.5), Stats.percentile(ms, 1.0)));
        table.add(String.format(Locale.ROOT, "   %,d updates sent, %,d stored, %d lost, %d stored twice, %d conflicts (409)",
                l.sent(), l.stored(), l.lost().size(), l.duplicated().size(), r.conflicts()));
        keys.put("handover_max_gap_s", String.format(Locale.ROOT, "%.3f", r.maxGapSeconds()));
        keys.put("handover_lost", String.valueOf(l.lost().size()));
        keys.put("handover_conflicts", String.valueOf(r.conflicts()));
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "NA" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
