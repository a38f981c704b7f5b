package dev.botshift.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How traffic moves from the stable colour to the new one.
 *
 * @param router       {@code botshift} (the embedded or in-cluster Botshift router), {@code gateway-api},
 *                     {@code nginx-ingress} or {@code service-selector}
 * @param stickyBy     where a body names its conversation: {@code telegram}, {@code whatsapp}, {@code slack} or JSON
 *                     paths ({@link dev.botshift.core.StickyPaths})
 * @param steps        candidate weights in percent, strictly increasing, ending at 100
 * @param stepDuration how long each step is watched before the next
 * @param listenPort   local platform: the port the router listens on (0 picks a free one)
 * @param resource     kubernetes routers: the HTTPRoute / Ingress / Service / ConfigMap they manage
 * @param verify       the Botshift router: how it verifies that a webhook comes from the chat platform; null: it
 *                     does not
 * @param source       how updates arrive: {@code webhook} (the platform posts to the router), {@code
 *                     telegram-polling} (the router polls the Bot API itself and delivers, docs/polling.md) or {@code
 *                     telegram-handover} (each bot polls itself; Botshift switches which colour consumes)
 * @param polling      with {@code telegram-polling}: how the router polls; null otherwise
 * @param answerTimeout the embedded default's router: how long a bot may be silent answering before it answers 504
 *                     ({@link dev.botshift.core.AnswerTimeout}); null on Kubernetes, where the router Deployment's
 *                     arguments set it
 */
public record TrafficSpec(
        String router,
        String stickyBy,
        List<Integer> steps,
        Duration stepDuration,
        int listenPort,
        String resource,
        VerifySpec verify,
        String source,
        PollingSpec polling,
        Duration answerTimeout) {

    public static final String BOTSHIFT = "botshift";
    public static final String GATEWAY_API = "gateway-api";
    public static final String NGINX_INGRESS = "nginx-ingress";
    /** Switches a Service's selector: all or nothing, so only {@code steps: [100]}. */
    public static final String SERVICE_SELECTOR = "service-selector";
    /** The accepted {@code router} names. */
    public static final List<String> ROUTERS = List.of(BOTSHIFT, GATEWAY_API, NGINX_INGRESS, SERVICE_SELECTOR);

    public static final String WEBHOOK = "webhook";
    public static final String TELEGRAM_POLLING = "telegram-polling";
    /** The bots poll themselves; the rollout hands the one consumer over from blue to green (docs/polling.md). */
    public static final String TELEGRAM_HANDOVER = "telegram-handover";
    /** The accepted {@code source} names. */
    public static final List<String> SOURCES = List.of(WEBHOOK, TELEGRAM_POLLING, TELEGRAM_HANDOVER);

    public TrafficSpec {
        steps = steps == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(steps));
    }

    /** Webhooks, verified or not. */
    public TrafficSpec(String router, String stickyBy, List<Integer> steps, Duration stepDuration, int listenPort,
                       String resource, VerifySpec verify) {
        this(router, stickyBy, steps, stepDuration, listenPort, resource, verify, WEBHOOK, null, null);
    }

    /** Whether the router polls the Bot API instead of taking webhooks. */
    public boolean polls() {
        return TELEGRAM_POLLING.equals(source);
    }

    /** Whether the bots poll themselves and the shift is a consumer handover instead of a split. */
    public boolean handsOver() {
        return TELEGRAM_HANDOVER.equals(source);
    }

    /** Without webhook verification. */
    public TrafficSpec(String router, String stickyBy, List<Integer> steps, Duration stepDuration, int listenPort,
                       String resource) {
        this(router, stickyBy, steps, stepDuration, listenPort, resource, null);
    }
}
