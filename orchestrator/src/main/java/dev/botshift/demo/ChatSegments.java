package dev.botshift.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Colour switches per chat, counted per named segment of a run (a rollout step, a rollback...). A switch is counted
 * in the segment during which its second acknowledgement arrived.
 */
final class ChatSegments {

    /** The segment before the first {@code mark}. */
    static final String FIRST = "start";

    private final Map<String, Map<Long, Integer>> switches = new LinkedHashMap<>();
    private Map<Long, Integer> current;

    ChatSegments() {
        mark(FIRST);
    }

    synchronized void mark(String segment) {
        // Marking the same name again continues that segment rather than losing what it counted.
        current = switches.computeIfAbsent(segment, name -> new ConcurrentHashMap<>());
    }

    synchronized void switched(long chatId) {
        current.merge(chatId, 1, Integer::sum);
    }

    /** The largest number of switches of any one chat, per segment, in the order the segments were marked. */
    synchronized Map<String, Integer> maxPerSegment() {
        Map<String, Integer> max = new LinkedHashMap<>();
        switches.forEach((name, perChat) ->
                max.put(name, perChat.values().stream().mapToInt(Integer::intValue).max().orElse(0)));
        return max;
    }
}
