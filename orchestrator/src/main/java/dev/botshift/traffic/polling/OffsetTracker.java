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
    private long finished; // updates finished so far: a mark for awaitProgress

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
        finished++;
        while (!held.isEmpty() && held.firstEntry().getValue()) {
            Map.Entry<Long, Boolean> first = held.pollFirstEntry();
            offset = first.getKey() + 1;
        }
        notifyAll();
    }

    /** A mark for {@link #awaitProgress}: how many updates have finished so far. */
    synchronized long progress() {
        return finished;
    }

    /**
     * Waits until an update finishes after {@code mark} was taken, at most {@code millis}; returns at once when one
     * already has. A caller takes the mark before it looks (polls, counts what is in flight), so a finish that falls
     * between its look and this call is not missed: a bare wait would sleep the whole {@code millis} through it,
     * and every update arriving at the API meanwhile would wait as long.
     *
     * @return whether an update finished after {@code mark}
     */
    synchronized boolean awaitProgress(long mark, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (finished == mark) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
