package dev.botshift.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
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
    private final Map<String, String> keys = new LinkedHashMap<>();
    private final List<String> table = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        System.setProperty("liquibase.analytics.enabled", "false");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        boolean quick = List.of(args).contains("--quick");
        Path repo = Path.of(System.getProperty("botshift.repo", ".")).toAbsolutePath().normalize();
        new Bench().run(repo, quick);
    }

    private void run(Path repo, boolean quick) throws Exception {
        long t0 = System.nanoTime();
        table.add("Botshift benchmarks (" + (quick ? "--quick" : "full") + "), " + Runtime.getRuntime().availableProcessors()
                + " CPUs, load average at start " + loadAverage());
        migration(repo, quick ? 100_000 : 1_000_000);
        detection(quick);
        footprint(repo, quick);
        keys.put("router_p50_overhead_ms", "NA");
        keys.put("router_p99_overhead_ms", "NA");
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
        table.add(String.format(Locale.ROOT, "   Botshift Judge:             false alarms %.4f, median %.0f green requests to detect",
                r.judgeFalseAlarm(), r.judgeMedianSamples()));
        table.add(String.format(Locale.ROOT, "   threshold T=%.2f%%, K=%d:    false alarms %.4f, median %.0f green requests to detect",
                r.threshold() * 100, DetectionSim.K, r.thresholdFalseAlarm(), r.thresholdMedianSamples()));
        keys.put("detect_samples_ratio", String.format(Locale.ROOT, "%.2f", r.ratio()));
    }

    private void footprint(Path repo, boolean quick) throws Exception {
        Footprint f = new Footprint(repo);
        double cold = f.coldStartSeconds(10);
        int demos = quick ? 1 : 3;
        List<Double> rollbacks = new ArrayList<>();
        int falseRollbacks = 0;
        long sent = 0;
        long lost = 0;
        double wall = 0;
        double rss = 0;
        table.add("");
        table.add("2/4/5. Demo runs (botshift demo: v1 live, faulty 2.0.0 must roll back, healthy 2.0.1 must promote)");
        for (int i = 0; i < demos; i++) {
            Footprint.Demo d = f.demo();
            JsonNode s = d.summary().path("scenarios");
            Double rb = s.path(0).path("rollbackSeconds").isNumber() ? s.path(0).path("rollbackSeconds").asDouble() : null;
            if (rb != null) {
                rollbacks.add(rb);
            }
            if (!"SUCCEEDED".equals(s.path(1).path("outcome").asText())) {
                falseRollbacks++;
            }
            sent += d.summary().path("messages").path("sent").asLong();
            lost += d.summary().path("messages").path("lost").asLong();
            wall = Math.max(wall, d.wallSeconds());
            rss = Math.max(rss, d.peakRssMb());
            table.add(String.format(Locale.ROOT, "   run %d: exit %d, wall %.1f s, peak RSS %.0f MB, faulty %s after %s s, "
                    + "healthy %s, messages %d sent / %d lost", i + 1, d.exitCode(), d.wallSeconds(), d.peakRssMb(),
                    s.path(0).path("outcome").asText(), rb, s.path(1).path("outcome").asText(),
                    d.summary().path("messages").path("sent").asLong(), d.summary().path("messages").path("lost").asLong()));
        }
        double[] rb = rollbacks.stream().mapToDouble(Double::doubleValue).toArray();
        double rbMax = rollbacks.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        table.add(String.format(Locale.ROOT, "   botshift status cold start: median of 10 = %.2f s", cold));
        keys.put("rollback_p50_s", fmt(Stats.median(rb)));
        keys.put("rollback_max_s", fmt(rbMax));
        keys.put("rollback_max_intervals", fmt(rbMax / 1.0)); // the demo plans' analysis interval is 1s
        keys.put("false_rollbacks", String.valueOf(falseRollbacks));
        keys.put("failed_requests", String.valueOf(lost));
        keys.put("total_requests", String.valueOf(sent));
        keys.put("cli_cold_start_s", fmt(cold));
        keys.put("deploy_peak_rss_mb", String.format(Locale.ROOT, "%.0f", rss));
        keys.put("demo_wall_s", String.format(Locale.ROOT, "%.1f", wall));
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "NA" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
