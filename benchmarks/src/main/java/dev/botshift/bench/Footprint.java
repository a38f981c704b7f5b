package dev.botshift.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Part 5 (and the stand-in for parts 2 and 4, see docs/benchmarks.md): the CLI as a user runs it, as child processes
 * of the built jar. Peak RSS is the kernel's high-water mark (VmHWM) of the Botshift process, sampled until it exits.
 */
final class Footprint {
    record Demo(double wallSeconds, double peakRssMb, JsonNode summary, int exitCode) {
    }

    private final Path repo;
    private final Path jar;

    Footprint(Path repo) {
        this.repo = repo;
        this.jar = repo.resolve("orchestrator/target/botshift.jar");
    }

    /** Median wall time of {@code botshift status} (no rollout recorded yet) over {@code runs} fresh JVMs. */
    double coldStartSeconds(int runs) throws Exception {
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            Process p = start(List.of("status", "-f", "examples/sentiment-bot/plan-v1.yaml"));
            p.waitFor();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        return Stats.median(t);
    }

    /** {@code botshift demo -o json}: two real deploys (one rolled back, one promoted) in one process. */
    Demo demo() throws Exception {
        long t0 = System.nanoTime();
        Process p = start(List.of("demo", "-o", "json"));
        long peakKb = 0;
        while (p.isAlive()) {
            peakKb = Math.max(peakKb, hwmKb(p.pid()));
            Thread.sleep(200);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        String out = new String(p.getInputStream().readAllBytes());
        String json = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}");
        return new Demo(wall, peakKb / 1024.0, new ObjectMapper().readTree(json), p.exitValue());
    }

    private Process start(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", jar.toString()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).directory(repo.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static long hwmKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0; // the process just exited
        }
        return 0;
    }
}
