package dev.botshift.example.sentiment;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** Talks to a bot under test over real HTTP, and reads single samples out of its /metrics text. */
final class BotClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI base;

    BotClient(RunningBot bot) {
        this.base = URI.create("http://127.0.0.1:" + bot.port());
    }

    static String update(long updateId, long chatId, String text) {
        return """
                {"update_id":%d,"message":{"message_id":1,"chat":{"id":%d},"from":{"id":7},"text":"%s"}}"""
                .formatted(updateId, chatId, text);
    }

    HttpResponse<String> post(String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/webhook"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the sample {@code name{labels...}}; labels are given as {@code key="value"} pairs in any order. */
    double metric(String name, String... labels) throws IOException, InterruptedException {
        String text = get("/metrics").body();
        Optional<Double> value = text.lines()
                .filter(line -> line.startsWith(name + "{"))
                .filter(line -> Arrays.stream(labels).allMatch(line::contains))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst();
        return value.orElseThrow(() -> new AssertionError("no sample " + name + " " + Arrays.toString(labels)
                + " in:\n" + text));
    }
}
