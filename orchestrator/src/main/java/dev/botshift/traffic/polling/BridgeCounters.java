package dev.botshift.traffic.polling;

import java.util.concurrent.atomic.AtomicLong;

/** The bridge's running counts; {@link #snapshot} turns them into a {@link BridgeStats}. */
final class BridgeCounters {
    final AtomicLong polls = new AtomicLong();
    final AtomicLong received = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong conflicts = new AtomicLong();
    final AtomicLong pollFailures = new AtomicLong();
    final AtomicLong replies = new AtomicLong();
    final AtomicLong replyFailures = new AtomicLong();
    private volatile String lastProblem = "";

    void problem(String text) {
        lastProblem = text;
    }

    BridgeStats snapshot(Long offset, int inFlight) {
        return new BridgeStats(polls.get(), received.get(), delivered.get(), retries.get(), deadLettered.get(),
                conflicts.get(), pollFailures.get(), replies.get(), replyFailures.get(), offset, inFlight, lastProblem);
    }
}
