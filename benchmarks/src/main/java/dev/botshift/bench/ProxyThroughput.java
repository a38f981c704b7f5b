package dev.botshift.bench;

import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.os.CleanUpOnSignal;
import dev.botshift.os.ListenPort;
import dev.botshift.traffic.router.BotshiftRouterClient;
import dev.botshift.traffic.router.OkBackend;
import dev.botshift.traffic.router.RouterConfigJson;
import dev.botshift.traffic.router.RouterProcess;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Part 8 (issue #14's {@code router_rps_ratio}): requests/s at p99 ≤ {@link #P99_LIMIT_MICROS} through the Botshift
 * router process against nginx's {@code split_clients}, both splitting 50/50 over the same two backends (the JDK's
 * HTTP server in this JVM), on the same machine in one run, driven by {@code wrk} with the same script (a Telegram
 * update POSTed to /webhook, the chat id in the body for the router's sticky key and in a header for nginx's).
 * Debian's wrk 4.1 has no rate option: it keeps N connections busy (a closed loop), so the load is raised by the
 * connection count (and, below one connection's pace, by a pause after each
 * answer, wrk's {@code delay()}), and each setting's requests/s and p99 are wrk's own. A proxy's figure is the highest requests/s of
 * a setting whose p99 stayed within the limit with no error. Settings are interleaved (router c=1, nginx c=1, direct
 * c=1, router c=2, ...) so that both see the same machine; "direct" (wrk straight to one backend) shows what the
 * backends and wrk themselves allow.
 */
final class ProxyThroughput {
    static final long P99_LIMIT_MICROS = 5_000;
    /** Each backend's threads and accept queue: the JDK server's own defaults would make the backends the limit. */
    private static final int BACKEND_THREADS = 8;
    private static final int BACKEND_QUEUE = 512;
    /**
     * The load settings, in order: first paced ones (each connection waits {@code delayMs} after each answer, wrk's
     * {@code delay()}: about connections x 1000 / delayMs requests/s offered), then closed loops of more and more
     * connections.
     */
    static final List<Setting> SETTINGS = List.of(new Setting(2, 10), new Setting(4, 5), new Setting(8, 4),
            new Setting(1, 0), new Setting(2, 0), new Setting(4, 0), new Setting(8, 0), new Setting(16, 0),
            new Setting(32, 0));

    record Setting(int connections, int delayMs) {
        String label() {
            return delayMs == 0 ? "c" + connections : "c" + connections + "+" + delayMs + "ms";
        }
    }
    /** The unit of /proc/[pid]/stat's CPU times, in microseconds: 1 s over the kernel's USER_HZ. */
    private static final double MICROS_PER_TICK = 1e6 / clockTicksPerSecond();
    private static final Path WRK = Path.of("/usr/bin/wrk");
    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final Pattern RESULT = Pattern.compile(
            "WRKRESULT requests=(\\d+) duration_us=(\\d+) p50_us=(\\d+) p99_us=(\\d+) errors=(\\d+)");

    /**
     * One wrk run: connections, requests/s, p50 and p99 in microseconds, errors (socket errors and non-2xx/3xx), and
     * the CPU the proxy's own processes spent per request (NaN for {@code direct}, whose backends share this JVM).
     */
    record Point(Setting setting, double rps, long p50Micros, long p99Micros, long errors, double cpuMicrosPerRequest) {
        boolean within() {
            return p99Micros <= P99_LIMIT_MICROS && errors == 0;
        }
    }

    record Result(Map<String, List<Point>> points) {
        /** The highest requests/s of a setting within the limit; 0 when none was. */
        double best(String target) {
            return points.getOrDefault(target, List.of()).stream().filter(Point::within).mapToDouble(Point::rps).max()
                    .orElse(0);
        }

        /**
         * The proxy's CPU per request over its closed-loop settings (c1 and up: the paced ones are too few requests
         * for the kernel's 10 ms ticks), weighted by their requests: unlike the requests/s at a p99, it does not move
         * with what else the machine runs, so two builds can be told apart by it.
         */
        double cpuMicrosPerRequest(String target) {
            double cpu = 0;
            double requests = 0;
            for (Point p : points.getOrDefault(target, List.of())) {
                if (p.setting().delayMs() == 0 && !Double.isNaN(p.cpuMicrosPerRequest())) {
                    cpu += p.cpuMicrosPerRequest() * p.rps();
                    requests += p.rps();
                }
            }
            return requests == 0 ? Double.NaN : cpu / requests;
        }
    }

    /** Why the part cannot run here (wrk or nginx missing), or null. */
    static String missingTool() {
        if (!Files.isExecutable(WRK)) {
            return WRK + " is not installed (Debian package wrk)";
        }
        if (!Files.isExecutable(NGINX)) {
            return NGINX + " is not installed (Debian package nginx)";
        }
        return null;
    }

    private final Duration perSetting;

    ProxyThroughput(Duration perSetting) {
        this.perSetting = perSetting;
    }

    Result run() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("botshift-bench-proxy-");
        OkBackend a = OkBackend.start(BACKEND_THREADS, BACKEND_QUEUE);
        OkBackend b = OkBackend.start(BACKEND_THREADS, BACKEND_QUEUE);
        RouterProcess router = null;
        Process nginx = null;
        try {
            Path script = dir.resolve("webhook.lua");
            Files.writeString(script, WRK_SCRIPT);
            Path state = Files.createDirectories(dir.resolve("router"));
            router = RouterProcess.attachOrStart(state, RouterProcess.Options.of(0, 0, state.resolve("config.json")));
            BotshiftRouterClient client = router.client();
            client.update(RouterConfigJson.toJson(client.config().withStickyBy("$.message.chat.id")));
            client.setBackends(Slot.A, List.of(a.uri()));
            client.setBackends(Slot.B, List.of(b.uri()));
            client.setWeights(new Weights(50, 50));
            int nginxPort = ListenPort.pick();
            nginx = startNginx(dir, nginxPort, a.port(), b.port());
            Map<String, ProcessHandle> proxies = Map.of("botshift", ProcessHandle.of(router.pid()).orElseThrow(),
                    "nginx", nginx.toHandle());
            Map<String, URI> targets = new LinkedHashMap<>();
            targets.put("botshift", URI.create("http://127.0.0.1:" + router.listenPort() + "/webhook"));
            targets.put("nginx", URI.create("http://127.0.0.1:" + nginxPort + "/webhook"));
            targets.put("direct", URI.create(a.uri() + "/webhook"));
            Map<String, List<Point>> points = new LinkedHashMap<>();
            for (Map.Entry<String, URI> t : targets.entrySet()) { // warm-up: connections, the router's JIT; not counted
                wrk(script, t.getValue(), new Setting(8, 0), Duration.ofSeconds(5), null);
                points.put(t.getKey(), new ArrayList<>());
            }
            for (Setting setting : SETTINGS) {
                for (Map.Entry<String, URI> t : targets.entrySet()) {
                    Point p = wrk(script, t.getValue(), setting, perSetting, proxies.get(t.getKey()));
                    points.get(t.getKey()).add(p);
                    System.err.printf(java.util.Locale.ROOT, "  [part 8] %s %s: %.0f req/s p99 %.2f ms errors %d%n",
                            t.getKey(), setting.label(), p.rps(), p.p99Micros() / 1e3, p.errors());
                }
            }
            return new Result(points);
        } finally {
            CleanUpOnSignal.beforeCleanUp();
            try {
                stopProcessTree(nginx);
            } finally {
                if (router != null) {
                    router.stop();
                }
                a.close();
                b.close();
                try (var walk = Files.walk(dir)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /**
     * One wrk run, bounded: killed (with any child) if it outlives its duration by 15 s; the CPU {@code proxy} and
     * the processes it started spent meanwhile, per request (NaN where {@code proxy} is null).
     */
    private static Point wrk(Path script, URI url, Setting setting, Duration d, ProcessHandle proxy)
            throws IOException, InterruptedException {
        long cpuBefore = cpuTicks(proxy);
        List<String> command = List.of(WRK.toString(), "-t1", "-c" + setting.connections(), "-d" + d.toSeconds() + "s",
                "--timeout", "5s", "-s", script.toString(), url.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("BENCH_DELAY_MS", String.valueOf(setting.delayMs()));
        Process p = builder.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(d.toSeconds() + 15, TimeUnit.SECONDS)) {
                throw new IOException("wrk did not finish: " + command);
            }
            Matcher m = RESULT.matcher(out);
            if (!m.find()) {
                throw new IOException("wrk printed no result (exit " + p.exitValue() + "): " + out);
            }
            double seconds = Long.parseLong(m.group(2)) / 1e6;
            long requests = Long.parseLong(m.group(1));
            double cpu = proxy == null || requests == 0 ? Double.NaN
                    : (cpuTicks(proxy) - cpuBefore) * MICROS_PER_TICK / requests;
            return new Point(setting, requests / seconds, Long.parseLong(m.group(3)), Long.parseLong(m.group(4)),
                    Long.parseLong(m.group(5)), cpu);
        } finally {
            stopProcessTree(p);
        }
    }

    /**
     * USER_HZ as {@code getconf CLK_TCK} gives it (the C library's {@code sysconf(_SC_CLK_TCK)}); 100, what Linux
     * uses on every architecture Debian builds for, if it cannot be asked.
     */
    private static long clockTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[1-9][0-9]{0,5}")) {
                return Long.parseLong(out);
            }
        } catch (IOException notThere) {
            // below
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }

    /**
     * User and system CPU of {@code root} and the processes it started (nginx's workers) so far, in ticks
     * ({@code /proc/[pid]/stat}'s 14th and 15th fields); 0 for null.
     */
    private static long cpuTicks(ProcessHandle root) throws IOException {
        if (root == null) {
            return 0;
        }
        long ticks = 0;
        for (ProcessHandle p : java.util.stream.Stream.concat(java.util.stream.Stream.of(root), root.descendants())
                .toList()) {
            String stat = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "stat"));
            // the fields after the command's closing parenthesis: state is the 3rd field, utime the 14th, stime the 15th
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(after[11]) + Long.parseLong(after[12]);
        }
        return ticks;
    }

    /** nginx in the foreground with a config of our own in {@code dir}: 50/50 split_clients, keep-alive upstreams. */
    private static Process startNginx(Path dir, int port, int a, int b) throws IOException, InterruptedException {
        Path conf = dir.resolve("nginx.conf");
        Path temp = Files.createDirectories(dir.resolve("temp"));
        Files.writeString(conf, String.format(java.util.Locale.ROOT, NGINX_CONF, dir, dir, temp, temp, temp, temp, temp,
                a, b, port));
        Process p = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-e", dir.resolve("error.log").toString(),
                "-c", conf.toString(), "-g", "daemon off;").redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("nginx exited " + p.exitValue() + ": " + Files.readString(dir.resolve("nginx.out"))
                        + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : ""));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        stopProcessTree(p);
        throw new IOException("nginx did not listen on " + port + " within 10 s");
    }

    /** Ends a process and every process it started (nginx's workers, should the master not take them down). */
    static void stopProcessTree(Process p) throws InterruptedException {
        if (p == null) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** The same request stream for every target; done() prints one line the harness parses. */
    private static final String WRK_SCRIPT = """
            local n = 0
            local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
            if pause > 0 then
              delay = function() return pause end
            end
            request = function()
              n = n + 1
              local chat = n % 1000
              local body = '{"update_id":' .. n .. ',"message":{"message_id":' .. n .. ',"chat":{"id":' .. chat
                .. ',"type":"private"},"from":{"id":' .. chat .. '},"text":"hello"}}'
              return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["X-Chat-Id"] = tostring(chat)},
                body)
            end
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("WRKRESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d\\n",
                summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
                e.connect + e.read + e.write + e.status + e.timeout))
            end
            """;

    /** split_clients on the chat id (nginx cannot read the JSON body), keep-alive to both upstreams, no access log. */
    private static final String NGINX_CONF = """
            worker_processes auto;
            error_log %s/error.log warn;
            pid %s/nginx.pid;
            events { worker_connections 1024; }
            http {
              access_log off;
              client_body_temp_path %s;
              proxy_temp_path %s;
              fastcgi_temp_path %s;
              uwsgi_temp_path %s;
              scgi_temp_path %s;
              split_clients "${http_x_chat_id}" $colour { 50%% colour_a; * colour_b; }
              upstream colour_a { server 127.0.0.1:%d; keepalive 64; }
              upstream colour_b { server 127.0.0.1:%d; keepalive 64; }
              server {
                listen 127.0.0.1:%d;
                location / {
                  proxy_pass http://$colour;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                }
              }
            }
            """;
}
