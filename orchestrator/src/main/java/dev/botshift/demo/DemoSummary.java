package dev.botshift.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Locale;

/** The demo's result: what {@code botshift demo -o json} prints. */
public record DemoSummary(List<Scenario> scenarios, Messages messages, double wallSeconds) {

    /**
     * @param maxSwitchesPerChat the most times any one chat changed colour during the scenario
     * @param reason                   why it rolled back (not in the JSON contract, shown in text)
     */
    public record Scenario(String release, String outcome, Double rollbackSeconds, double durationSeconds,
                           int maxSwitchesPerChat, @com.fasterxml.jackson.annotation.JsonIgnore String reason) {
        Scenario withSwitches(int n) {
            return new Scenario(release, outcome, rollbackSeconds, durationSeconds, n, reason);
        }
    }

    /**
     * @param conflicts     {@code --polling} only: 409s the fake Bot APIs gave anyone (null, and not in the JSON,
     *                      otherwise)
     * @param maxGapSeconds {@code --polling} only: in the handover scenarios, the longest time no {@code getUpdates}
     *                      was in flight, as the fake Bot API measured it (null, and not in the JSON, otherwise)
     * @param bridgeRestartSeconds {@code --polling} only: the bridge (the router) killed with SIGKILL during the good
     *                      release's first step, seconds until a new one answered (null, and not in the JSON,
     *                      otherwise)
     */
    public record Messages(long sent, long stored, long lost, long duplicated,
                           @com.fasterxml.jackson.annotation.JsonInclude(
                                   com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Long conflicts,
                           @com.fasterxml.jackson.annotation.JsonInclude(
                                   com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Double maxGapSeconds,
                           @com.fasterxml.jackson.annotation.JsonInclude(
                                   com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                           Double bridgeRestartSeconds) {
        public Messages(long sent, long stored, long lost, long duplicated, Long conflicts) {
            this(sent, stored, lost, duplicated, conflicts, null, null);
        }
    }

    /**
     * Scenarios in pairs, a faulty release rolled back then a good one succeeded (the webhook or bridge pair, then
     * the handover pair with {@code --polling}); nothing lost or duplicated; stickiness held.
     */
    public boolean asExpected() {
        if (scenarios.size() < 2 || scenarios.size() % 2 != 0) {
            return false;
        }
        for (int i = 0; i < scenarios.size(); i++) {
            boolean faulty = i % 2 == 0;
            Scenario s = scenarios.get(i);
            if (!s.outcome().equals(faulty ? "ROLLED_BACK" : "SUCCEEDED") || s.maxSwitchesPerChat() > (faulty ? 2 : 1)) {
                return false;
            }
        }
        return messages.lost() == 0 && messages.duplicated() == 0;
    }

    public String toJson() {
        try {
            return new ObjectMapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    String toText(ChatStats stats) {
        StringBuilder b = new StringBuilder("\nSummary\n");
        for (Scenario s : scenarios) {
            b.append(String.format(Locale.ROOT, "  %-7s %-12s %5.1f s%s, at most %d colour switch(es) per chat%s%n",
                    s.release(), s.outcome(), s.durationSeconds(),
                    s.rollbackSeconds() == null ? "" : String.format(Locale.ROOT, " (rollback in %.1f s)", s.rollbackSeconds()),
                    s.maxSwitchesPerChat(), s.reason() == null ? "" : "\n          why: " + s.reason()));
        }
        b.append(String.format(Locale.ROOT, "  messages: %d sent, %d stored, %d lost, %d duplicated%s%n",
                messages.sent(), messages.stored(), messages.lost(), messages.duplicated(),
                stats != null ? " (" + stats.redeliveries() + " redeliveries" + causes(stats) + ")"
                        : ", " + messages.conflicts() + " conflicts"));
        if (messages.bridgeRestartSeconds() != null) {
            b.append(String.format(Locale.ROOT, "  the bridge killed with SIGKILL mid-shift: polling again after %.2f s%n",
                    messages.bridgeRestartSeconds()));
        }
        if (messages.maxGapSeconds() != null) {
            b.append(String.format(Locale.ROOT, "  handover: at most %.3f s with no getUpdates in flight%n",
                    messages.maxGapSeconds()));
        }
        b.append(String.format(Locale.ROOT, "  wall time: %.1f s%n", wallSeconds));
        return b.toString();
    }

    /** Why deliveries had to be repeated: ", of failed deliveries: HTTP 500 x41, timeout x2", or nothing. */
    private static String causes(ChatStats stats) {
        StringBuilder b = new StringBuilder();
        stats.failedByCause().forEach((cause, n) -> b.append(b.isEmpty() ? ", of failed deliveries: " : ", ")
                .append(cause).append(" x").append(n));
        return b.toString();
    }
}
