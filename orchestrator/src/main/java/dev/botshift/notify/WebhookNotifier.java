package dev.botshift.notify;

import dev.botshift.plan.Plan;
import dev.botshift.rollout.RolloutEvent;
import dev.botshift.rollout.RolloutListener;
import dev.botshift.rollout.RolloutState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts rollout news to a Slack-compatible incoming webhook. A rollout must never wait for or fail because of a chat
 * service, so messages go through a bounded queue to one background thread, each post has a bounded timeout, and
 * the first failure is logged once (naming the environment variable, never the URL: the URL is the credential).
 */
public final class WebhookNotifier implements RolloutListener, AutoCloseable {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    static final int DEFAULT_QUEUE = 64;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);

    private final URI url;
    private final String source;
    private final Duration timeout;
    private final HttpClient http;
    private final ThreadPoolExecutor sender;
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    /**
     * @param url     the webhook (a secret)
     * @param source  where the URL came from, for messages ("environment variable X")
     * @param timeout per post, connect included
     * @param queue   messages waiting at most; further ones are dropped while the webhook is slow
     */
    public WebhookNotifier(URI url, String source, Duration timeout, int queue) {
        this.url = url;
        this.source = source;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "botshift-notify");
            t.setDaemon(true);
            return t;
        }, (task, executor) -> failedOnce("queue full, message dropped"));
    }

    /**
     * The notifier a plan asks for: on when {@code notify.webhookUrlEnv} names a set variable, off (with one log
     * line) when it is set in the plan but not in the environment or not an http(s) URL.
     */
    public static Optional<WebhookNotifier> forPlan(Plan plan, Map<String, String> env) {
        if (plan.notifications() == null || plan.notifications().webhookUrlEnv() == null) {
            return Optional.empty();
        }
        String name = plan.notifications().webhookUrlEnv();
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            LOG.warn("notify.webhookUrlEnv names {}, which is not set: notifications are off", name);
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(value.trim());
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            LOG.warn("environment variable {} is not an http(s) URL: notifications are off", name);
            return Optional.empty();
        }
        return Optional.of(new WebhookNotifier(uri, "environment variable " + name, DEFAULT_TIMEOUT, DEFAULT_QUEUE));
    }

    @Override
    public void onEvent(RolloutEvent event, RolloutState state) {
        Notifications.messageFor(event, state).ifPresent(this::send);
    }

    /** Queues one message; returns at once. */
    public void send(String text) {
        if (sender.isShutdown()) {
            return;
        }
        String body = new WebhookMessage(text).toJson();
        sender.execute(() -> post(body));
    }

    private void post(String body) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                failedOnce("HTTP " + response.statusCode());
            }
        } catch (IOException e) {
            // the exception's message may quote the host or path; the class name says enough
            failedOnce(e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void failedOnce(String why) {
        if (failureLogged.compareAndSet(false, true)) {
            LOG.warn("notification to the webhook in {} failed ({}); the rollout goes on, further notification "
                    + "failures are not logged", source, why);
        }
    }

    /** Sends what is queued, waiting at most about one post's timeout, then gives up on the rest. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(timeout.toMillis() + 500, TimeUnit.MILLISECONDS)) {
                sender.shutdownNow();
                failedOnce("webhook too slow; unsent messages dropped at exit");
            }
        } catch (InterruptedException e) {
            sender.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "WebhookNotifier(" + source + ")";
    }
}
