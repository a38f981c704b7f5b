package dev.botshift.traffic.polling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Which updates the bridge holds, and the offset it may confirm. {@code getUpdates} confirms every update below the
 * offset it is called with, and a confirmed update is gone for good; so the offset moves only past the contiguous
 * prefix of updates that are finished (acknowledged 2xx by a bot, or written to the dead-letter file). An update
 * still being retried holds the offset back, however many later ones are done.
 *
 * <p>Until the offset passes them, the API returns held updates again on every poll: {@link #admit} lets each in
 * once, so a chat's update is never delivered twice by one bridge.
 */
final class OffsetTracker {
    private final TreeMap<Long, Boolean> held = new TreeMap<>(); // update id -> finished
    private Long offset;

    /** @param offset the offset to start from (a previous run's), or null: the API's earliest unconfirmed update */
    OffsetTracker(Long offset) {
        this.offset = offset;
    }

    /** The offset to poll with, or null before the first update. */
    synchronized Long offset() {
        return offset;
    }

    /** Updates admitted and not finished yet. */
    synchronized int inFlight() {
        return (int) held.values().stream().filter(done -> !done).count();
    }

    /** The updates not seen before, in order; the rest (already held, or below the offset) are left out. */
    synchronized List<TelegramUpdate> admit(List<TelegramUpdate> updates) {
        List<TelegramUpdate> fresh = new ArrayList<>();
        for (TelegramUpdate update : updates) {
            if ((offset == null || update.id() >= offset) && !held.containsKey(update.id())) {
                held.put(update.id(), false);
                fresh.add(update);
            }
        }
        return fresh;
    }

    /** Marks an update finished and moves the offset past the finished prefix. */
    synchronized void finish(long id) {
        if (held.replace(id, true) == null) {
            return;
        }
        while (!held.isEmpty() && held.firstEntry().getValue()) {
            Map.Entry<Long, Boolean> first = held.pollFirstEntry();
            offset = first.getKey() + 1;
        }
        notifyAll();
    }

    /** Waits until an update finishes, at most {@code millis}. */
    synchronized void awaitProgress(long millis) throws InterruptedException {
        TimeUnit.MILLISECONDS.timedWait(this, millis);
    }
}
