package dev.botshift.bench;

import dev.botshift.demo.ChatPlatform;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
 * <p>Sent by {@code wrk} (Debian's 4.1, one thread, {@link #CONNECTIONS} connections each pausing after every answer
 * so that together they make the rate; wrk has no rate option), until {@link #stop}. wrk costs the 2-CPU rig a
 * fraction of what the JDK's HTTP client did: with the client in the harness's JVM the junk reached 141–397/s, the
 * harness (chat platform, rollout, client) taking the CPUs the router and the bots needed. The rate reached is
 * wrk's own count over its own duration.
 */
final class ForgedLoad implements AutoCloseable {
    static final Path WRK = Path.of("/usr/bin/wrk");
    /** Connections; each waits {@code CONNECTIONS × 1000 / rate} ms less the answer's ~2 ms after every answer. */
    static final int CONNECTIONS = 200;
    private static final Pattern RESULT = Pattern.compile(
            "WRKJUNK requests=(\\d+) duration_us=(\\d+) no_answer=(\\d+) statuses=(\\S*)");

    private final URI webhook;
    private final String secret;
    private final double rate;
    private Process wrk;
    private CompletableFuture<String> output;
    private Path script;
    private long requests;
    private double seconds = Double.NaN;
    private final Map<String, Long> answers = new TreeMap<>();

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
        long pause = Math.max(0, Math.round(CONNECTIONS * 1000 / rate) - 2);
        ProcessBuilder builder = new ProcessBuilder(WRK.toString(), "-t1", "-c" + CONNECTIONS, "-d3600s",
                "--timeout", "5s", "-s", script.toString(), webhook.toString()).redirectErrorStream(true);
        builder.environment().put("BENCH_DELAY_MS", String.valueOf(pause));
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
        if (noAnswer > 0) {
            answers.put("no answer", noAnswer);
        }
    }

    long sent() {
        return requests;
    }

    double achievedRate() {
        return requests / seconds;
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
     */
    private static final String SCRIPT = """
            local secret = os.getenv("BENCH_SECRET")
            local header = os.getenv("BENCH_SECRET_HEADER")
            local pause = tonumber(os.getenv("BENCH_DELAY_MS"))
            local threads = {}
            n = 0
            statuses = {}
            setup = function(thread) table.insert(threads, thread) end
            delay = function() return pause end
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
            response = function(status, headers, body)
              statuses[status] = (statuses[status] or 0) + 1
            end
            done = function(summary, latency, requests)
              local parts = {}
              for _, t in ipairs(threads) do
                for status, count in pairs(t:get("statuses")) do
                  table.insert(parts, status .. "=" .. count)
                end
              end
              local e = summary.errors
              io.write(string.format("WRKJUNK requests=%d duration_us=%d no_answer=%d statuses=%s\\n",
                summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, table.concat(parts, ",")))
            end
            """;
}
