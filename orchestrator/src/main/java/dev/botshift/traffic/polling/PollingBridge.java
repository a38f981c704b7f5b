package dev.botshift.traffic.polling;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The single {@code getUpdates} consumer of a bot: long-polls the Bot API and hands each update to {@link ChatLanes},
 * which deliver it like a webhook. The offset it polls with is {@link OffsetTracker}'s, so the API forgets an update
 * only once a bot acknowledged it or it is in the dead-letter file. A 409 (another consumer, or a webhook set) is
 * counted, logged and retried with backoff: the bridge never deletes a webhook or fights another consumer on purpose.
 */
public final class PollingBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PollingBridge.class);
    static final int LIMIT = 100;
    private static final long IDLE_WAIT_MILLIS = 500;
    /** The first bound on a wait for progress after a poll that brought nothing new; it doubles up to the idle one. */
    private static final long HELD_WAIT_MILLIS = 20;
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final BridgeSettings settings;
    private final BotApiClient api;
    private final Function<byte[], Optional<String>> chatOf;
    private final BridgeCounters counters = new BridgeCounters();
    private final OffsetFile offsetFile;
    private final OffsetWriter offsetWriter;
    private final OffsetTracker tracker;
    private final ChatLanes lanes;
    private final Thread poller;
    private volatile boolean running = true;
    private Long polledWith;
    private int heldOnlyPolls; // polls in a row that brought nothing new while updates were in flight

    /**
     * @param chatOf the conversation key of an update's JSON (the router's {@code stickyBy} field), empty when it has
     *               none (those updates share one lane)
     */
    private PollingBridge(BridgeSettings settings, Delivery delivery, Function<byte[], Optional<String>> chatOf) {
        this.settings = settings;
        this.api = new BotApiClient(settings.apiUrl(), settings.token());
        this.chatOf = chatOf;
        this.offsetFile = new OffsetFile(settings.stateDir(), settings.token().botId());
        this.tracker = new OffsetTracker(offsetFile.read());
        this.offsetWriter = new OffsetWriter(offsetFile::write, this::offsetNotWritten);
        this.lanes = new ChatLanes(delivery, settings, new DeadLetters(settings.stateDir()), counters, tracker::finish,
                this::reply);
        this.poller = new Thread(this::run, "telegram-poller");
        this.poller.setDaemon(true);
    }

    /** Starts polling at once. */
    public static PollingBridge start(BridgeSettings settings, Delivery delivery,
                                      Function<byte[], Optional<String>> chatOf) {
        PollingBridge bridge = new PollingBridge(settings, delivery, chatOf);
        LOG.info("polling {} (offset {}), delivering to the colours", bridge.api.where(),
                bridge.tracker.offset() == null ? "from the earliest unconfirmed update" : bridge.tracker.offset());
        bridge.poller.start();
        return bridge;
    }

    public BridgeStats stats() {
        return counters.snapshot(tracker.offset(), tracker.inFlight());
    }

    /**
     * Makes the Bot API call a bot asked for in its answer, as Telegram would have: once, its result unknown to the
     * bot. A failure is counted and logged (token redacted), and the update stays acknowledged: the bot handled it,
     * and delivering it again would handle it twice. The methods that decide how updates arrive are not made.
     */
    private void reply(WebhookReply reply) {
        if (reply.takesOverUpdates()) {
            // made for the bot, it would confirm updates not yet delivered, or end polling (a 409 at every poll)
            counters.replyFailures.incrementAndGet();
            String why = "a bot's answer asked for " + reply.method() + ": not made, the bridge alone decides how"
                    + " updates arrive (docs/polling.md)";
            counters.problem(why);
            LOG.warn("{}", why);
            return;
        }
        try {
            Optional<String> failure = api.perform(reply);
            counters.replies.incrementAndGet();
            failure.ifPresent(why -> {
                counters.replyFailures.incrementAndGet();
                counters.problem(why);
                LOG.warn("{}", why);
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        int failuresInARow = 0;
        while (running) {
            try {
                long mark = tracker.progress(); // before looking: a finish from here on ends the waits below
                if (tracker.inFlight() >= settings.maxInFlight()) {
                    tracker.awaitProgress(mark, IDLE_WAIT_MILLIS);
                    continue;
                }
                Long offset = tracker.offset();
                offsetWriter.offer(offset); // in the background: a slow disk must not delay the poll
                PollResult result = api.getUpdates(offset, settings.pollTimeout(), LIMIT, settings.allowedUpdates());
                polledWith = offset;
                failuresInARow = handle(result, mark) ? 0 : failuresInARow + 1;
                if (failuresInARow > 0) {
                    Duration wait = result instanceof PollResult.Failed f && f.retryAfter() != null ? f.retryAfter()
                            : settings.backoff(failuresInARow);
                    Thread.sleep(wait.toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a bug or a full disk must not end polling silently: report, back off, go on
                counters.problem(settings.token().redact(String.valueOf(e.getMessage())));
                LOG.error("polling failed: {}", settings.token().redact(String.valueOf(e)));
                try {
                    Thread.sleep(settings.retryMax().toMillis());
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /**
     * @param mark the tracker's progress taken before the poll was sent
     * @return whether the poll succeeded
     */
    private boolean handle(PollResult result, long mark) throws InterruptedException {
        if (result instanceof PollResult.Updates u) {
            counters.polls.incrementAndGet();
            List<TelegramUpdate> fresh = tracker.admit(u.updates());
            counters.received.addAndGet(fresh.size());
            for (TelegramUpdate update : fresh) {
                lanes.submit(chatOf.apply(update.json()).orElse(""), update);
            }
            if (fresh.isEmpty() && tracker.inFlight() > 0) {
                // The API answers at once while it holds unfinished updates: no long poll until one finishes. Wait
                // for a finish (none since the poll was sent, or the next offset would already be higher) instead
                // of spinning, but only briefly: an update of another chat reaching the API meanwhile would
                // otherwise wait for the slowest delivery in flight, every chat behind one slow bot answer. The
                // bound doubles while polls bring nothing new, so a retry waiting seconds costs a few polls.
                tracker.awaitProgress(mark, heldWait(heldOnlyPolls++));
            } else {
                heldOnlyPolls = 0;
            }
            return true;
        }
        if (result instanceof PollResult.Conflict c) {
            // the text before the count: whoever sees the count (status, a test) then sees what it was
            counters.problem("409 " + c.description());
            counters.conflicts.incrementAndGet();
            LOG.warn("{}: 409 {}: another consumer polls this bot, or a webhook is set; the bridge must be the"
                    + " only one (docs/polling.md)", api.where(), c.description());
            return false;
        }
        PollResult.Failed f = (PollResult.Failed) result;
        counters.problem(f.description());
        counters.pollFailures.incrementAndGet();
        LOG.warn("{}", f.description());
        return false;
    }

    /** 20, 40, 80 … ms, at most the idle wait: the bound on the {@code polls}+1-th wait in a row for progress. */
    static long heldWait(int polls) {
        return Math.min(IDLE_WAIT_MILLIS, HELD_WAIT_MILLIS << Math.min(polls, 10));
    }

    private void offsetNotWritten(String why) {
        // polling goes on: a file behind the API is safe (OffsetWriter), the next offset tries again
        String text = settings.token().redact(why);
        counters.problem(text);
        LOG.error("the polling offset was not recorded: {}", text);
    }

    /**
     * Stops polling, lets running deliveries finish (5 s at most), then tells the API the final offset (a last
     * {@code getUpdates} with timeout 0) and records it, so a restart neither loses nor repeats what was acknowledged.
     */
    @Override
    public void close() {
        running = false;
        poller.interrupt();
        try {
            poller.join(CLOSE_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lanes.close(CLOSE_GRACE);
        offsetWriter.close();
        Long offset = tracker.offset();
        offsetFile.write(offset);
        if (offset != null && !offset.equals(polledWith)) {
            try {
                api.getUpdates(offset, Duration.ZERO, 1, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
