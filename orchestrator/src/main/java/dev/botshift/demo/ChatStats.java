package dev.botshift.demo;

import java.time.Duration;
import java.util.Map;
import java.util.SortedSet;

/**
 * What the simulated platform saw.
 *
 * @param sent                   messages sent (each with a new update id), redeliveries not counted
 * @param acknowledged           updates answered with 2xx (each at most once: a chat waits for the acknowledgement)
 * @param redeliveries           deliveries repeated with the same update id
 * @param failedDeliveries       delivery attempts that got a non-2xx answer, a timeout or a connection error
 * @param failedByCause          the same attempts by cause ({@link DeliveryFailure}: "HTTP 502", "timeout", …)
 * @param maxSlotSwitches      per segment (in the order marked), the most slot switches of any single chat
 * @param acknowledgedBySlot   acknowledgements per answering slot ({@code unknown} if the answer named none)
 * @param sentIds                update ids sent
 * @param acknowledgedIds        update ids acknowledged
 * @param sendingTime            time spent sending new messages (from start to stop, or to now)
 */
public record ChatStats(
        long sent,
        long acknowledged,
        long redeliveries,
        long failedDeliveries,
        Map<String, Long> failedByCause,
        Map<String, Integer> maxSlotSwitches,
        Map<String, Long> acknowledgedBySlot,
        SortedSet<Long> sentIds,
        SortedSet<Long> acknowledgedIds,
        Duration sendingTime) {

    /** New messages per second actually sent. */
    public double achievedRate() {
        double seconds = sendingTime.toNanos() / 1e9;
        return seconds == 0 ? 0 : sent / seconds;
    }

    /** Sent updates that were never acknowledged. */
    public long unacknowledged() {
        return sent - acknowledged;
    }
}
