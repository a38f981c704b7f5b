package dev.botshift.traffic.router;

import dev.botshift.analysis.Latencies;
import dev.botshift.core.Slot;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the router has seen since it started.
 *
 * @param colours per colour, the requests it routed there
 * @param refused requests refused before routing (failed webhook verification), by {@link Refusal#label()}: they
 *                reached no bot and are in no slot's counts
 * @param invalid routed requests that were not a valid update, by {@link InvalidUpdate#label()} (all colours)
 */
public record RouterStats(Map<Slot, SlotStats> slots, Map<String, Long> refused, Map<String, Long> invalid) {

    public RouterStats {
        slots = Map.copyOf(slots);
        refused = new TreeMap<>(refused == null ? Map.of() : refused);
        invalid = new TreeMap<>(invalid == null ? Map.of() : invalid);
    }

    public RouterStats(Map<Slot, SlotStats> slots) {
        this(slots, Map.of(), Map.of());
    }

    public SlotStats of(Slot slot) {
        return slots.getOrDefault(slot, SlotStats.NONE);
    }

    /** All refused requests, whatever the reason. */
    public long refusedTotal() {
        return refused.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * @param requests            requests answered for this colour (by its backends, or by the router with a 502/504)
     * @param serverErrors        of which answered with a 5xx status
     * @param p50Seconds          median latency, estimated from the histogram buckets; 0 without requests
     * @param p99Seconds          99th percentile latency, estimated the same way
     * @param invalid             of {@code requests}, those that were not a valid update ({@link InvalidUpdate})
     * @param invalidServerErrors of {@code invalid}, those answered with a 5xx status
     * @param latency             the latencies of the judged requests ({@link #judgedRequests}), bucket by bucket;
     *                            null from a router that does not report them
     * @param inFlight            webhooks sent to the colour's instances now and not answered yet (0 from a router
     *                            that does not report them)
     */
    public record SlotStats(long requests, long serverErrors, double p50Seconds, double p99Seconds, long invalid,
                              long invalidServerErrors, Latencies latency, long inFlight) {
        public static final SlotStats NONE = new SlotStats(0, 0, 0, 0, 0, 0, null, 0);

        public SlotStats(long requests, long serverErrors, double p50Seconds, double p99Seconds) {
            this(requests, serverErrors, p50Seconds, p99Seconds, 0, 0, null, 0);
        }

        /**
         * The requests a verdict should weigh: the valid updates, plus the invalid ones the colour failed with a 5xx
         * (crashing on odd input is the bot's fault). An invalid request answered otherwise, a 4xx to junk above
         * all, is neither a success nor a failure of the release.
         */
        public long judgedRequests() {
            return requests - invalid + invalidServerErrors;
        }
    }
}
