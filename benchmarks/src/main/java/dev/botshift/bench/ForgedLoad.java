package dev.botshift.bench;

import dev.botshift.demo.ChatPlatform;
import dev.botshift.os.CleanUpOnSignal;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Part 10's junk: about {@code rate} invalid webhook requests a second POSTed to the router beside the chat platform's
 * updates, alternately a well-formed update with a wrong secret token (forged: refused by the router's verification)
 * and an unparseable body with the right token (malformed: routed, answered 4xx by the bot, counted as invalid).
 *
 * <p>Sent by {@code wrk} (Debian's 4.1, one thread, {@link #CONNECTIONS} connections), until {@link #stop}. wrk 4.1
 * has no rate option and sends a connection's next request when its last is answered; the script's {@code delay()}
 * holds each next request to a schedule of one every {@code 1/rate} s (LuaJIT's FFI reads the monotonic clock), so
 * the rate does not fall when answers slow down, as long as fewer than {@link #CONNECTIONS} are unanswered (each
 * connection pausing a fixed time after every answer made 490/s when answers took ~160 ms). wrk costs the 2-CPU rig
 * a fraction of what the JDK's HTTP client did (141–397/s with the client in the harness's JVM, which took the CPUs
 * the router and the bots needed). Answers are counted per second of the wall clock ({@link #rateWithin}), so the
 * rate within the rollout can be told from the warm-up's.
 */
final class ForgedLoad implements AutoCloseable {
    static final Path WRK = Path.of("/usr/bin/wrk");
    /**
     * Connections: the rate holds while answers take less than {@code CONNECTIONS / rate} s (750 ms at 800/s). Opened
     * at once; the router's accept queue takes them all (RouterServer.ACCEPT_QUEUE).
     */
    static final int CONNECTIONS = 600;
    private static final Pattern RESULT = Pattern.compile(
            "WRKJUNK requests=(\\d+) duration_us=(\\d+) no_answer=(\\d+) statuses=(\\S*) persecond=(\\S*) p50_us=(\\d+) p99_us=(\\d+)");

    private final URI webhook;
    private final String secret;
    private final double rate;
    private Process wrk;
    private CompletableFuture<String> output;
    private Path script;
    private long requests;
    private double seconds = Double.NaN;
    private final Map<String, Long> answers = new TreeMap<>();
    private final NavigableMap<Instant, Long> perSecond = new TreeMap<>();
    private Latency latency = new Latency(Double.NaN, Double.NaN);

    ForgedLoad(URI webhook, String secret, double rate) {
        this.webhook = webhook;
        this.secret = secret;
        this.rate = rate;
    }

    /** Why the part cannot run here, or null. */
    static String missingTool() {
        return Files.isExecutable(WRK) ? null : WRK + " is not installed (Debian package wrk)";
    }

    void start() throws IOException {
        script = Files.createTempFile("botshift-junk-", ".lua");
        Files.writeString(script, SCRIPT);
        ProcessBuilder builder = new ProcessBuilder(WRK.toString(), "-t1", "-c" + CONNECTIONS, "-d3600s",
                "--timeout", "5s", "-s", script.toString(), webhook.toString()).redirectErrorStream(true);
        builder.environment().put("BENCH_RATE", String.valueOf(rate));
        builder.environment().put("BENCH_SECRET", secret); // the malformed half carries the platform's token
        builder.environment().put("BENCH_SECRET_HEADER", ChatPlatform.SECRET_TOKEN_HEADER);
        wrk = builder.start();
        output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "unreadable: " + e;
            }
        });
    }

    /** Stops wrk (SIGINT: it then prints its summary) and reads what it counted. */
    void stop() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", String.valueOf(wrk.pid())).start().waitFor(5, TimeUnit.SECONDS);
        String out;
        try {
            out = output.get(15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("wrk did not stop within 15 s of SIGINT", e);
        } finally {
            CleanUpOnSignal.beforeCleanUp();
            ProxyThroughput.stopProcessTree(wrk);
        }
        Matcher m = RESULT.matcher(out);
        if (!m.find()) {
            throw new IOException("wrk printed no result: " + out);
        }
        requests = Long.parseLong(m.group(1));
        seconds = Long.parseLong(m.group(2)) / 1e6;
        long noAnswer = Long.parseLong(m.group(3));
        for (String pair : m.group(4).split(",")) {
            String[] kv = pair.split("=");
            if (kv.length == 2) {
                answers.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        for (String pair : m.group(5).split(",")) {
            String[] kv = pair.split("=");
            if (kv.length == 2) {
                perSecond.put(Instant.ofEpochSecond(Long.parseLong(kv[0])), Long.parseLong(kv[1]));
            }
        }
        latency = new Latency(Long.parseLong(m.group(6)) / 1e3, Long.parseLong(m.group(7)) / 1e3);
        if (noAnswer > 0) {
            answers.put("no answer", noAnswer);
        }
    }

    long sent() {
        return requests;
    }

    /** Requests over wrk's whole run (its own count and duration). */
    double achievedRate() {
        return requests / seconds;
    }

    /** wrk's p50 and p99 of the time from sending a junk request to its answer. */
    Latency latency() {
        return latency;
    }

    record Latency(double p50Millis, double p99Millis) {
    }

    /** Answers in each second of the wall clock, in order (the first and the last are partial). */
    java.util.Collection<Long> answersPerSecond() {
        return perSecond.values();
    }

    /**
     * Answers a second over the whole seconds of the wall clock that lie within {@code from}–{@code to}, and how
     * many such seconds there were ({@code NaN} and 0 when none does).
     */
    Rate rateWithin(Instant from, Instant to) {
        Instant first = from.truncatedTo(ChronoUnit.SECONDS);
        if (first.isBefore(from)) {
            first = first.plusSeconds(1);
        }
        Instant end = to.truncatedTo(ChronoUnit.SECONDS); // the last whole second ends here
        long seconds = Math.max(0, end.getEpochSecond() - first.getEpochSecond());
        long answered = seconds == 0 ? 0 : perSecond.subMap(first, true, end, false).values().stream()
                .mapToLong(Long::longValue).sum();
        return new Rate(seconds == 0 ? Double.NaN : (double) answered / seconds, seconds);
    }

    record Rate(double perSecond, long seconds) {
    }

    /** Answers by HTTP status ("no answer" for a connection error or timeout). */
    Map<String, Long> answers() {
        return answers;
    }

    @Override
    public void close() throws InterruptedException, IOException {
        ProxyThroughput.stopProcessTree(wrk);
        if (script != null) {
            Files.deleteIfExists(script);
        }
    }

    /**
     * Even requests forged (a plausible update, a wrong token), odd ones malformed (the right token, no update in
     * them); answers counted by status in the thread, read back in done(), which prints the one line parsed above.
     * delay() gives each request the next free slot of the schedule; a schedule fallen behind restarts from now
     * (no burst to catch up).
     */
    private static final String SCRIPT = """
            local ffi = require("ffi")
            ffi.cdef[[
            typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
            int clock_gettime(int clock, bench_timespec *now);
            ]]
            local CLOCK_REALTIME, CLOCK_MONOTONIC = 0, 1
            local clock = ffi.new("bench_timespec")
            local function now_ms()
              ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
              return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
            end
            local function epoch_second()
              ffi.C.clock_gettime(CLOCK_REALTIME, clock)
              return tonumber(clock.tv_sec)
            end
            local secret = os.getenv("BENCH_SECRET")
            local header = os.getenv("BENCH_SECRET_HEADER")
            local gap_ms = 1000 / tonumber(os.getenv("BENCH_RATE"))
            local next_slot = nil
            local threads = {}
            n = 0
            statuses = {}
            setup = function(thread) table.insert(threads, thread) end
            delay = function()
              local now = now_ms()
              if next_slot == nil or next_slot < now then next_slot = now end
              local wait = next_slot - now
              next_slot = next_slot + gap_ms
              return math.floor(wait)
            end
            request = function()
              n = n + 1
              if n % 2 == 0 then
                local chat = 1000000 + n % 500
                return wrk.format("POST", nil, {["Content-Type"] = "application/json", [header] = "forged-" .. n % 7},
                  '{"update_id":' .. (9000000000 + n) .. ',"message":{"message_id":' .. n .. ',"chat":{"id":' .. chat
                  .. ',"type":"private"},"text":"forged"}}')
              end
              return wrk.format("POST", nil, {["Content-Type"] = "application/json", [header] = secret},
                '{"update_id": ' .. n .. ', "message": {')
            end
            persecond = {}
            response = function(status, headers, body)
              statuses[status] = (statuses[status] or 0) + 1
              local second = epoch_second()
              persecond[second] = (persecond[second] or 0) + 1
            end
            local function counted(name) -- "key=count,..." of a table of counts, over all threads
              local parts = {}
              for _, t in ipairs(threads) do
                for key, count in pairs(t:get(name)) do
                  table.insert(parts, key .. "=" .. count)
                end
              end
              return table.concat(parts, ",")
            end
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("WRKJUNK requests=%d duration_us=%d no_answer=%d statuses=%s persecond=%s p50_us=%d p99_us=%d\\n",
                summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, counted("statuses"),
                counted("persecond"), latency:percentile(50), latency:percentile(99)))
            end
            """;
}
