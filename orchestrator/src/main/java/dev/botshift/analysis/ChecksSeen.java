package dev.botshift.analysis;

import java.util.Map;

/**
 * One interval's readings of the custom checks and of green's restarts.
 *
 * @param green green's reading per check name
 * @param blue  blue's reading per check name, for the checks compared with blue (absent: not read)
 * @param pods  green's containers; null when the platform reports no resource signals
 */
public record ChecksSeen(Map<String, CheckReading> green, Map<String, CheckReading> blue, RestartReading pods) {
    public static final ChecksSeen NONE = new ChecksSeen(Map.of(), Map.of(), null);

    public ChecksSeen {
        green = Map.copyOf(green);
        blue = Map.copyOf(blue);
    }
}
